package dev.rabbitworks.worker.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * worker.prefetch above 1 lets the broker hand a worker that many tasks at once, and the worker does them at the
 * same time (the work is a timer, not a thread): with prefetch 3, three long tasks are in progress together.
 */
@QuarkusTest
@TestProfile(HigherPrefetchTest.PrefetchThree.class)
class HigherPrefetchTest extends WorkerBrokerTest {

    public static class PrefetchThree implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("worker.prefetch", "3");
        }
    }

    @Test
    void doesAsManyTasksAtOnceAsItsPrefetch() {
        await().atMost(WAIT).untilAsserted(() -> {
            List<JsonNode> consumers = broker.management.consumers(topology.taskQueue());
            assertEquals(1, consumers.size(), consumers::toString);
            assertEquals(3, consumers.get(0).path("prefetch_count").asInt());
        });
        TaskQueueFixture.Events events = broker.listenToOutcomes();
        // 300 units of 10 ms: 3 s each; done one after the other they would never be in progress together.
        List<String> ids = List.of(broker.publishTask(".".repeat(300)), broker.publishTask(".".repeat(300)),
                broker.publishTask(".".repeat(300)), broker.publishTask("fourth."));

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> inFlight.inProgress() == 3);
        assertEquals(1, broker.readyTasks(), "the fourth waits for a free slot");
        events.await(e -> ids.contains(e.taskId()), 4, WAIT);
    }
}
