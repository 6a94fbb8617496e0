package dev.rabbitworks.subscriber.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A durable subscription's queue deleted while the service runs: the broker cancels the consumer, the connector ends
 * that channel (it cannot subscribe again by itself), and the service says so on both probes, so that an
 * orchestrator restarts it and the queue is declared, bound and consumed again.
 */
@QuarkusTest
@TestProfile(DeletedSubscriptionQueueProfile.class)
class DeletedSubscriptionQueueTest {

    @RegisterExtension
    static final SubscribedService SERVICE = new SubscribedService();

    @Test
    void aDeletedQueueTakesTheServiceDownForARestart() {
        String name = ConfigProvider.getConfig().getValue("subscriber.subscription-name", String.class);

        SERVICE.broker().deleteQueue(name + ".direct");

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/q/health/live").statusCode() == 503);
        given().get("/q/health/live").then().body(containsString("fromDirect"));
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
    }
}
