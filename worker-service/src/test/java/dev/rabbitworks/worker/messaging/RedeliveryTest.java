package dev.rabbitworks.worker.messaging;

import static dev.rabbitworks.worker.messaging.TaskQueueFixture.forTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rabbitworks.worker.messaging.TaskQueueFixture.Event;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RedeliveryTest extends WorkerBrokerTest {

    @Test
    void redeliversTheTaskInHandWhenTheWorkersConnectionDies() {
        TaskQueueFixture.Events events = broker.listenToOutcomes();
        await().atMost(WAIT).until(() -> broker.workerConnections().size() == 1);
        String connection = broker.workerConnections().get(0);

        String taskId = broker.publishTask(".".repeat(200));
        await().atMost(WAIT).until(() -> inFlight.inProgress() == 1);
        broker.management.closeConnection(connection);

        Event redone = events.await(forTask(taskId).and(e -> e.attempt() > 1), 1, WAIT).get(0);
        assertEquals("completed", redone.outcome());

        // The worker came back by itself: a new connection, consuming again with the same prefetch.
        await().atMost(WAIT).untilAsserted(() -> {
            List<String> connections = broker.workerConnections();
            assertEquals(1, connections.size(), connections::toString);
            assertFalse(connections.contains(connection));
            List<JsonNode> consumers = broker.management.consumers(topology.taskQueue());
            assertEquals(1, consumers.size(), consumers::toString);
            assertEquals(1, consumers.get(0).path("prefetch_count").asInt());
        });
        await().atMost(WAIT).until(() -> broker.readyTasks() == 0 && inFlight.inProgress() == 0
                && broker.management.unackedMessages(topology.taskQueue()) == 0);
        assertEquals(1, events.matching(forTask(taskId).and(e -> e.attempt() > 1)).size(), "done once more, not more");
    }
}
