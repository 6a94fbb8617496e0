package dev.rabbitworks.worker.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import dev.rabbitworks.worker.messaging.TaskQueueConsumer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Liveness does not depend on the broker: with the broker taken away (a proxy between this worker and it, cut) for
 * several times worker.consumer-lost-limit, the worker is not ready and stays live, so Kubernetes takes it out of
 * rotation instead of restarting it; it consumes again once the broker is back. The proxy needs the broker of
 * RABBITMQ_HOST (./run-tests.sh gives one).
 */
@QuarkusTest
@TestProfile(BrokerOutageTest.BrokerBehindAProxy.class)
@EnabledIfEnvironmentVariable(named = "RABBITMQ_HOST", matches = ".+")
class BrokerOutageTest {

    static final Duration LOST_LIMIT = Duration.ofSeconds(1);
    static final Duration WAIT = Duration.ofSeconds(20);

    public static class BrokerBehindAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("worker.consumer-lost-limit", LOST_LIMIT.toSeconds() + "s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(BrokerBehindProxy.class));
        }
    }

    @Inject
    TaskQueueConsumer consumer;

    @AfterEach
    void brokerBack() throws IOException {
        BrokerBehindProxy.proxy().up();
    }

    @Test
    void staysLiveWhileTheBrokerIsAwayAndConsumesAgainOnceItIsBack() throws IOException {
        awaitStatus("/q/health/ready", 200);
        given().get("/q/health/live").then().statusCode(200);

        BrokerBehindProxy.proxy().down();

        awaitStatus("/q/health/ready", 503);
        await().during(LOST_LIMIT.multipliedBy(3)).atMost(LOST_LIMIT.multipliedBy(3).plusSeconds(5))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/q/health/live").statusCode() == 200);
        given().get("/q/health/live").then().body("status", is("UP"));

        BrokerBehindProxy.proxy().up();

        awaitStatus("/q/health/ready", 200);
        await().atMost(WAIT).until(consumer::isConsuming);
        given().get("/q/health/live").then().statusCode(200);
    }

    private static void awaitStatus(String path, int status) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> given().get(path).statusCode() == status);
    }
}
