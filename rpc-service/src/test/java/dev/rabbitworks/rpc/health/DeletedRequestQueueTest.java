package dev.rabbitworks.rpc.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.rabbitworks.rpc.messaging.RpcCaller;
import dev.rabbitworks.testing.AmqpTestClient;
import dev.rabbitworks.testing.ManagementApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The broker cancels the service's consumer of the request queue: the queue was deleted here; on a cluster the same
 * happens when the node of a classic rpc_queue goes down. The service declares the queue again and consumes again by
 * itself, without a restart, and answers; live all along. Live but not consuming for ever is what must not happen.
 */
@QuarkusTest
@TestProfile(DeletedRequestQueueTest.OwnRequestQueue.class)
class DeletedRequestQueueTest {

    /** A request queue of its own: deleting it must not touch the other tests' service. */
    public static class OwnRequestQueue implements QuarkusTestProfile {
        static final String QUEUE = "rpc_queue.deleted-by-test";

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("topology.rpc-queue", QUEUE);
        }
    }

    @Test
    void aDeletedRequestQueueIsDeclaredAgainAndConsumedAgain() {
        ManagementApi management = ManagementApi.fromConfig();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);

        try (AmqpTestClient amqp = AmqpTestClient.connect()) {
            amqp.deleteQueue(OwnRequestQueue.QUEUE);

            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> management.queue(OwnRequestQueue.QUEUE) != null
                            && !management.consumers(OwnRequestQueue.QUEUE).isEmpty());
            given().get("/q/health/live").then().statusCode(200);
            given().get("/q/health/ready").then().statusCode(200);
            assertEquals("55", new RpcCaller(amqp).call("fib", "10").body());
        }
    }
}
