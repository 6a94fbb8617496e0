package dev.rabbitworks.worker.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A worker that is connected but cannot consume (its work queue was replaced by one with other arguments, so its
 * declare fails, as when the node of a queue is down) keeps trying, turns its liveness DOWN after
 * worker.consumer-lost-limit (2 s here) so that Kubernetes would restart it, and consumes again by itself once the
 * queue can be declared.
 */
@QuarkusTest
@TestProfile(LostConsumerTest.ShortLimit.class)
class LostConsumerTest extends WorkerBrokerTest {

    public static class ShortLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("worker.consumer-lost-limit", "2s");
        }
    }

    @Test
    void aConsumerThatCannotComeBackMakesLivenessDownUntilItDoes() throws IOException {
        given().get("/q/health/live").then().statusCode(200);

        // The broker cancels the consumer; a queue of the same name with other arguments makes every declare fail.
        broker.amqp.channel().queueDelete(topology.taskQueue());
        broker.amqp.channel().queueDeclare(topology.taskQueue(), true, false, false, null);

        await().atMost(WAIT).until(() -> given().get("/q/health/live").statusCode() == 503);

        broker.amqp.channel().queueDelete(topology.taskQueue());
        await().atMost(WAIT).until(consumer::isConsuming);
        await().atMost(WAIT).until(() -> given().get("/q/health/live").statusCode() == 200);
        broker.listenToOutcomes().await(TaskQueueFixture.forTask(broker.publishTask("back.")), 1, WAIT);
    }
}
