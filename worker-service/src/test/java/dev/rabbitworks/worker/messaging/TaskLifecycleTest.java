package dev.rabbitworks.worker.messaging;

import static dev.rabbitworks.worker.messaging.TaskQueueFixture.forTask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.rabbitworks.worker.config.WorkerConfig;
import dev.rabbitworks.worker.config.WorkerIdentity;
import dev.rabbitworks.worker.messaging.TaskQueueFixture.Event;
import io.quarkus.test.junit.QuarkusTest;

/** Every state change of a task, in order, as docs/messaging-contract.md lists them. */
@QuarkusTest
class TaskLifecycleTest extends WorkerBrokerTest {

    @Inject
    WorkerConfig config;

    @Inject
    WorkerIdentity identity;

    @Test
    void aCompletedTaskStartsThenCompletes() {
        TaskQueueFixture.Events events = broker.listenToLifecycle();

        String taskId = broker.publishTask("done..");

        List<Event> lifecycle = awaitFinal(events, taskId);
        assertEquals(List.of("started 1", "completed 1"), states(lifecycle));
        for (Event event : lifecycle) {
            assertEquals(taskId, event.taskId());
            assertEquals(identity.instanceName(), event.body().path("worker").asText());
            assertEquals(event.state(), event.routingKey().substring("task.".length()));
            assertEquals("application/json", event.properties().getContentType());
            assertEquals(2, event.properties().getDeliveryMode());
            assertFalse(event.properties().getMessageId().isBlank());
        }
        Event completed = lifecycle.get(1);
        assertEquals("completed", completed.outcome(), "the earlier field, kept");
        assertTrue(completed.body().path("durationMs").asLong() >= 20, completed::toString);
        assertFalse(lifecycle.get(0).timestamp().isAfter(completed.timestamp()), lifecycle::toString);
    }

    @Test
    void aFlakyTaskFailsIsRetriedAndCompletesOnItsSecondAttempt() {
        TaskQueueFixture.Events events = broker.listenToLifecycle();

        String taskId = broker.publishTask("flaky.");

        List<Event> lifecycle = awaitFinal(events, taskId);
        assertEquals(List.of("started 1", "failed 1", "retrying 1", "started 2", "completed 2"), states(lifecycle));
        Event retrying = lifecycle.get(2);
        assertEquals(config.retryDelays().get(0).toMillis(), retrying.body().path("delayMs").asLong());
        assertTrue(retrying.body().path("reason").asText().contains("flaky"), retrying::toString);
        assertEquals("failed", lifecycle.get(1).outcome());
    }

    @Test
    void aPoisonTaskIsRetriedUntilItsAttemptsAreUsedUpThenDeadWithItsReason() {
        TaskQueueFixture.Events events = broker.listenToLifecycle();

        String taskId = broker.publishTask("fail: poison");

        List<Event> lifecycle = awaitFinal(events, taskId);
        List<String> expected = new ArrayList<>();
        int attempts = config.retryDelays().size() + 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            expected.addAll(List.of("started " + attempt, "failed " + attempt));
            expected.add(attempt < attempts ? "retrying " + attempt : "dead " + attempt);
        }
        assertEquals(expected, states(lifecycle));
        Event dead = lifecycle.get(lifecycle.size() - 1);
        assertTrue(dead.body().path("reason").asText().contains("asked to fail"), dead::toString);
        broker.awaitDeadLetter(taskId, WAIT);
    }

    @Test
    void aBodyThatIsNotUtf8StartsFailsAndIsDeadAtOnce() {
        TaskQueueFixture.Events events = broker.listenToLifecycle();

        String taskId = broker.publishBytes(new byte[] { 'a', (byte) 0xC3, (byte) 0x28 });

        List<Event> lifecycle = awaitFinal(events, taskId);
        assertEquals(List.of("started 1", "failed 1", "dead 1"), states(lifecycle));
        assertTrue(lifecycle.get(2).body().path("reason").asText().contains("UTF-8"), lifecycle::toString);
    }

    /** The task's events up to and including its final one (completed or dead), in arrival order. */
    private static List<Event> awaitFinal(TaskQueueFixture.Events events, String taskId) {
        events.await(forTask(taskId).and(e -> e.state().equals("completed") || e.state().equals("dead")), 1, WAIT);
        return events.matching(forTask(taskId));
    }

    private static List<String> states(List<Event> events) {
        return events.stream().map(Event::stateAndAttempt).toList();
    }
}
