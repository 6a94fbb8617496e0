package dev.rabbitworks.worker.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The pure rules of a task: its work, its deliberate failures, its body, and what follows an attempt. */
class TaskRulesTest {

    private static final TaskDelivery DELIVERY = new TaskDelivery("id", 1, new byte[0]);
    private final RetryPolicy retryPolicy = new RetryPolicy(3);

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
    void requeuesAFailedAttemptWhileRedeliveriesAreLeft() {
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertEquals(Settlement.REQUEUE, retryPolicy.settlementFor(failedAttempt(attempt)), "attempt " + attempt);
        }
    }

    @Test
    void deadLettersTheLastAttemptItself() {
        // Delivery limit 3: the 4th attempt's return would be dead-lettered by the queue anyway.
        assertEquals(Settlement.DEAD_LETTER, retryPolicy.settlementFor(failedAttempt(4)));
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
