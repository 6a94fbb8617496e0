package dev.rabbitworks.worker.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The pure rules of a task: its work, its deliberate failures, its body, and what follows an attempt. */
class TaskRulesTest {

    private static final TaskDelivery DELIVERY = new TaskDelivery("id", 1, new byte[0]);
    private static final List<Duration> DELAYS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(4),
            Duration.ofSeconds(16));
    private final RetryPolicy retryPolicy = new RetryPolicy(DELAYS);

    @Test
    void countsOneUnitOfWorkPerDot() {
        assertEquals(3, new Task("id", 1, "a.b..").workUnits());
        assertEquals(0, new Task("id", 1, "no dots").workUnits());
    }

    @Test
    void failAlwaysFails() {
        assertTrue(DeliberateFailures.reasonToFail(new Task("id", 1, "fail.")).isPresent());
        assertTrue(DeliberateFailures.reasonToFail(new Task("id", 5, "failing")).isPresent());
    }

    @Test
    void flakyFailsOnItsFirstAttemptOnly() {
        assertTrue(DeliberateFailures.reasonToFail(new Task("id", 1, "flaky.")).isPresent());
        assertFalse(DeliberateFailures.reasonToFail(new Task("id", 2, "flaky.")).isPresent());
    }

    @Test
    void otherBodiesDoNotFail() {
        assertFalse(DeliberateFailures.reasonToFail(new Task("id", 1, "a task that will not fail")).isPresent());
    }

    @Test
    void decodesUtf8() throws CharacterCodingException {
        assertEquals("héllo ✓", TaskBodyDecoder.decode("héllo ✓".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        assertThrows(CharacterCodingException.class,
                () -> TaskBodyDecoder.decode(new byte[] { 'a', (byte) 0xC3, (byte) 0x28 }));
    }

    @Test
    void acksACompletedTask() {
        assertEquals(Settlement.ACK, retryPolicy.settlementFor(TaskResult.completed(DELIVERY, Duration.ZERO)));
    }

    @Test
    void retriesAFailedAttemptWithAGrowingDelayWhileRetriesAreLeft() {
        for (int attempt = 1; attempt <= 3; attempt++) {
            TaskResult failed = failedAttempt(attempt);
            assertEquals(Settlement.RETRY, retryPolicy.settlementFor(failed), "attempt " + attempt);
            assertEquals(attempt, retryPolicy.retryLevel(failed.delivery()));
            assertEquals(DELAYS.get(attempt - 1), retryPolicy.delayAfter(failed.delivery()));
        }
    }

    @Test
    void deadLettersTheAttemptAfterTheLastRetry() {
        assertEquals(4, retryPolicy.maxAttempts());
        assertEquals(Settlement.DEAD_LETTER, retryPolicy.settlementFor(failedAttempt(4)));
        // A task returned by dying workers may count more attempts than there are retries.
        assertEquals(Settlement.DEAD_LETTER, retryPolicy.settlementFor(failedAttempt(9)));
    }

    @Test
    void deadLettersATaskThatCanNeverBeDone() {
        assertEquals(Settlement.DEAD_LETTER, retryPolicy.settlementFor(
                TaskResult.failed(DELIVERY, Duration.ZERO, FailureKind.UNPROCESSABLE, "not UTF-8")));
    }

    private static TaskResult failedAttempt(int attempt) {
        return TaskResult.failed(new TaskDelivery("id", attempt, new byte[0]), Duration.ZERO, FailureKind.RETRYABLE,
                "boom");
    }
}
