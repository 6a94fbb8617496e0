package dev.rabbitworks.rpc.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import com.rabbitmq.client.AMQP;

import dev.rabbitworks.testing.AmqpTestClient;
import dev.rabbitworks.testing.ManagementApi;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Health while the broker is unreachable: readiness DOWN, liveness UP (Kubernetes must not restart
 * pods for a broker outage), and the service comes back by itself. The broker is cut with a local
 * proxy, so this needs a broker given by RABBITMQ_HOST (not Dev Services).
 */
@QuarkusTest
@WithTestResource(value = BrokerBehindProxy.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@EnabledIfEnvironmentVariable(named = "RABBITMQ_HOST", matches = ".+")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerOutageTest {

    private static final Duration RECONNECT = Duration.ofSeconds(20);

    /** Runs first: the proxy starts down, so this is the service starting without a broker. */
    @Test
    @Order(1)
    void startsWithoutBrokerAndConnectsWhenItArrives() throws IOException {
        BrokerBehindProxy.proxy().down();
        awaitHealth("/q/health/ready", 503);
        given().get("/q/health/live").then().statusCode(200);

        BrokerBehindProxy.proxy().up();

        awaitHealth("/q/health/ready", 200);
        assertAnswers();
    }

    @Test
    @Order(2)
    void readinessFollowsABrokerOutageWhileLivenessStaysUp() throws IOException {
        BrokerBehindProxy.proxy().up();
        awaitHealth("/q/health/ready", 200);

        BrokerBehindProxy.proxy().down();

        awaitHealth("/q/health/ready", 503);
        given().get("/q/health/live").then().statusCode(200);

        BrokerBehindProxy.proxy().up();

        awaitHealth("/q/health/ready", 200);
        given().get("/q/health/live").then().statusCode(200);
        assertAnswers();
    }

    private static void awaitHealth(String path, int status) {
        await().atMost(RECONNECT).pollInterval(Duration.ofMillis(200))
                .until(() -> given().get(path).statusCode() == status);
    }

    /** A request is answered after the reconnect (consumer restored, reply channel working). */
    private static void assertAnswers() {
        String rpcQueue = ConfigProvider.getConfig().getValue("topology.rpc-queue", String.class);
        await().atMost(RECONNECT).until(() -> !ManagementApi.fromConfig().consumers(rpcQueue).isEmpty());
        try (AmqpTestClient client = AmqpTestClient.connect()) {
            String replyQueue = client.declareTemporaryQueue();
            client.publish("", rpcQueue, new AMQP.BasicProperties.Builder().replyTo(replyQueue)
                    .correlationId("after-outage").build(), "10".getBytes(StandardCharsets.UTF_8));
            var reply = client.awaitMessage(replyQueue, RECONNECT);
            assertEquals("after-outage", reply.getProps().getCorrelationId());
            assertEquals("55", new String(reply.getBody(), StandardCharsets.UTF_8));
        }
    }
}
