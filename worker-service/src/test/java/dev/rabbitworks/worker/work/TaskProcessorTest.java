package dev.rabbitworks.worker.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.rabbitworks.worker.config.WorkerConfig;
import dev.rabbitworks.worker.config.WorkerSettings;

class TaskProcessorTest {

    private static final Duration UNIT = Duration.ofMillis(20);
    private final TaskProcessor processor = new TaskProcessor(new SimulatedWork(config(UNIT)));

    @Test
    void completesAfterOneUnitPerDot() {
        TaskResult result = process("work...", 1);

        assertEquals(TaskOutcome.COMPLETED, result.outcome());
        assertNull(result.error());
        assertTrue(result.duration().compareTo(UNIT.multipliedBy(3)) >= 0, result.duration()::toString);
    }

    @Test
    void failsATaskThatAsksToFail() {
        TaskResult result = process("fail...", 3);

        assertEquals(TaskOutcome.FAILED, result.outcome());
        assertEquals(FailureKind.RETRYABLE, result.failureKind());
    }

    @Test
    void failsAFlakyTaskOnlyOnItsFirstAttempt() {
        assertEquals(TaskOutcome.FAILED, process("flaky", 1).outcome());
        assertEquals(TaskOutcome.COMPLETED, process("flaky", 2).outcome());
    }

    @Test
    void cannotProcessABodyThatIsNotUtf8() {
        TaskResult result = processor.process(new TaskDelivery("id", 1, new byte[] { (byte) 0xFF }))
                .await().atMost(Duration.ofSeconds(5));

        assertEquals(TaskOutcome.FAILED, result.outcome());
        assertEquals(FailureKind.UNPROCESSABLE, result.failureKind());
    }

    private TaskResult process(String body, int attempt) {
        return processor.process(new TaskDelivery("id", attempt, body.getBytes(StandardCharsets.UTF_8)))
                .await().atMost(Duration.ofSeconds(5));
    }

    static WorkerConfig config(Duration workUnit) {
        return WorkerSettings.worker(Map.of("worker.work-unit", workUnit.toMillis() + "ms"));
    }
}
