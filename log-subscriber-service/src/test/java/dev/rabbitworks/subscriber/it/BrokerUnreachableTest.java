package dev.rabbitworks.subscriber.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Without a broker the service starts, is not ready (each subscription says so) and stays live: Kubernetes takes it
 * out of rotation during a broker outage instead of restarting it. (Reconnecting once the broker is back is shown by
 * HealthTest and, for a broker restart under load, by system-tests' BrokerRestartIT.)
 */
@QuarkusTest
@WithTestResource(value = UnreachableBroker.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class BrokerUnreachableTest {

    @Test
    void notReadyButLive() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/q/health/ready").statusCode() == 503);
        given().get("/q/health/ready").then()
                .body("checks[0].data.fanout", equalTo("[KO]"))
                .body("checks[0].data.direct", equalTo("[KO]"))
                .body("checks[0].data.topic", equalTo("[KO]"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void theLogsAreServedMeanwhile() {
        given().get("/logs").then().statusCode(200);
    }
}
