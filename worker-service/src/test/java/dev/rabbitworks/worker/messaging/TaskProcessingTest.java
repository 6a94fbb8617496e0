package dev.rabbitworks.worker.messaging;

import static dev.rabbitworks.worker.messaging.TaskQueueFixture.forTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.rabbitworks.worker.messaging.TaskQueueFixture.Event;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class TaskProcessingTest extends WorkerBrokerTest {

    @Test
    void doesATaskAndReportsItCompleted() {
        TaskQueueFixture.Events events = broker.listenToOutcomes();

        String taskId = broker.publishTask("hello...");

        Event event = events.await(forTask(taskId), 1, WAIT).get(0);
        assertEquals("task.completed", event.routingKey());
        assertEquals("completed", event.outcome());
        assertEquals(1, event.attempt());
        assertFalse(event.body().path("worker").asText().isBlank());
        assertTrue(event.body().path("durationMs").asLong() >= 30, "3 units of 10 ms: " + event.body());
        assertFalse(event.body().has("error"), "no error on success: " + event.body());
        assertEquals("application/json", event.properties().getContentType());
        assertEquals(2, event.properties().getDeliveryMode());
    }

    @Test
    void acksTheTaskOnceDone() {
        TaskQueueFixture.Events events = broker.listenToOutcomes();
        String first = broker.publishTask("first.");
        events.await(forTask(first), 1, WAIT);

        // With prefetch 1 the broker delivers the next task only after the first one's ack.
        String second = broker.publishTask("second.");
        events.await(forTask(second), 1, WAIT);

        await().atMost(WAIT).until(() -> broker.readyTasks() == 0 && inFlight.inProgress() == 0
                && broker.management.unackedMessages(topology.taskQueue()) == 0);
    }

    @Test
    void doesATaskPublishedLikePikaWithoutContentTypeOrMessageId() {
        TaskQueueFixture.Events events = broker.listenToOutcomes();

        broker.publishLikePika("from pika..");

        Event event = events.await(e -> e.taskId() == null, 1, WAIT).get(0);
        assertEquals("completed", event.outcome());
        assertEquals(1, event.attempt());
        assertTrue(event.body().has("taskId"), "taskId present, as null: " + event.body());
    }
}
