package dev.rabbitworks.producer.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class TaskStatusIndexTest {

    private static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");

    private final TaskStatusIndex index = new TaskStatusIndex(100);

    @Test
    void followsATaskThroughItsLife() {
        index.apply(event("t", TaskState.ACCEPTED, 0, null, 0, null));
        assertEquals("accepted", state("t"));
        index.apply(event("t", TaskState.STARTED, 1, "w1", 1, null));
        index.apply(event("t", TaskState.COMPLETED, 1, "w1", 2, null));

        TaskStatus status = index.status("t").orElseThrow();
        assertEquals("completed", status.state());
        assertEquals(1, status.attempts());
        assertEquals("w1", status.worker());
        assertEquals(T0, status.acceptedAt());
        assertEquals(T0.plusSeconds(1), status.startedAt());
        assertEquals(T0.plusSeconds(2), status.finishedAt());
    }

    @Test
    void aWorkerFasterThanTheAcceptedEventStillEndsCompleted() {
        index.apply(event("t", TaskState.COMPLETED, 1, "w1", 2, null));
        index.apply(event("t", TaskState.STARTED, 1, "w1", 1, null));
        index.apply(event("t", TaskState.ACCEPTED, 0, null, 0, null));

        TaskStatus status = index.status("t").orElseThrow();
        assertEquals("completed", status.state());
        assertEquals(T0, status.acceptedAt());
        assertEquals(T0.plusSeconds(1), status.startedAt());
    }

    @Test
    void withinAnAttemptTheStateOnlyMovesForward() {
        index.apply(event("t", TaskState.RETRYING, 1, "w1", 3, "boom"));
        index.apply(event("t", TaskState.FAILED, 1, "w1", 2, "boom"));
        index.apply(event("t", TaskState.STARTED, 1, "w1", 1, null));

        assertEquals("retrying", state("t"));
        assertEquals("boom", index.status("t").orElseThrow().reason());
    }

    @Test
    void aLaterAttemptMovesPastAnEarlierOneAndARedeliveryCounts() {
        index.apply(event("t", TaskState.RETRYING, 1, "w1", 1, "boom"));
        index.apply(event("t", TaskState.STARTED, 2, "w2", 2, null));
        assertEquals("started", state("t"));
        assertEquals(2, index.status("t").orElseThrow().attempts());
        assertEquals("w2", index.status("t").orElseThrow().worker());

        index.apply(event("t", TaskState.DEAD, 4, "w3", 5, "still boom"));
        index.apply(event("t", TaskState.STARTED, 3, "w1", 4, null));
        TaskStatus status = index.status("t").orElseThrow();
        assertEquals("dead", status.state());
        assertEquals("still boom", status.reason());
        assertEquals(4, status.attempts());
    }

    @Test
    void aFinalStateStays() {
        index.apply(event("t", TaskState.COMPLETED, 1, "w1", 1, null));
        index.apply(event("t", TaskState.STARTED, 2, "w2", 2, null)); // a redelivery after the ack was lost
        assertEquals("completed", state("t"));
        assertEquals(2, index.status("t").orElseThrow().attempts());
    }

    @Test
    void theOldestTasksGoFirstWhenTheIndexIsFull() {
        TaskStatusIndex small = new TaskStatusIndex(3);
        for (int i = 0; i < 5; i++) {
            small.apply(event("t" + i, TaskState.ACCEPTED, 0, null, i, null));
        }
        assertEquals(3, small.size());
        assertTrue(small.status("t0").isEmpty());
        assertTrue(small.status("t4").isPresent());
    }

    @Test
    void remembersIdempotencyKeysFromAcceptedEvents() {
        index.apply(new LifecycleEvent("t", TaskState.ACCEPTED, 0, null, T0, null, "key-1", "abc"));
        assertEquals(new TaskStatusIndex.KeyedTask("t", "abc"), index.byKey("key-1").orElseThrow());
        assertTrue(index.byKey("key-2").isEmpty());
    }

    @Test
    void aWaitEndsWhenTheTaskEndsOrWhenTheTimeIsUp() {
        index.apply(event("t", TaskState.STARTED, 1, "w1", 1, null));
        CompletableFuture<Void> waiting = index.awaitFinal("t", Duration.ofMinutes(1)).toCompletableFuture();
        assertFalse(waiting.isDone());
        index.apply(event("t", TaskState.COMPLETED, 1, "w1", 2, null));
        assertTrue(waiting.isDone());

        CompletableFuture<Void> timedOut = index.awaitFinal("other", Duration.ofMillis(50)).toCompletableFuture();
        assertNull(timedOut.join());
        assertTrue(index.awaitFinal("t", Duration.ofMinutes(1)).toCompletableFuture().isDone(), "already final");
    }

    private String state(String id) {
        return index.status(id).orElseThrow().state();
    }

    private static LifecycleEvent event(String id, TaskState state, int attempt, String worker, int second,
            String reason) {
        return new LifecycleEvent(id, state, attempt, worker, T0.plusSeconds(second), reason, null, null);
    }
}
