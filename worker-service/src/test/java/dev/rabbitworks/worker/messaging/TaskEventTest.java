package dev.rabbitworks.worker.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rabbitworks.worker.work.FailureKind;
import dev.rabbitworks.worker.work.TaskDelivery;
import dev.rabbitworks.worker.work.TaskResult;

/** The event body as the contract spells it, written field by field exactly as the annotated record maps. */
class TaskEventTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void completedEventHasNoError() throws Exception {
        TaskEvent event = TaskEvent.of(TaskResult.completed(new TaskDelivery("t-1", 1, new byte[0]),
                Duration.ofMillis(12)), "worker-a");

        assertEquals("task.completed", event.routingKey());
        String expected = "{\"taskId\":\"t-1\",\"worker\":\"worker-a\",\"attempt\":1,\"durationMs\":12,"
                + "\"outcome\":\"completed\"}";
        assertWrittenAs(expected, event);
    }

    @Test
    void failedEventCarriesTheErrorAndANullTaskIdWhenTheTaskHadNone() throws Exception {
        TaskEvent event = TaskEvent.of(TaskResult.failed(new TaskDelivery(null, 2, new byte[0]),
                Duration.ofMillis(3), FailureKind.RETRYABLE, "boom"), "worker-a");

        assertEquals("task.failed", event.routingKey());
        String expected = "{\"taskId\":null,\"worker\":\"worker-a\",\"attempt\":2,\"durationMs\":3,"
                + "\"outcome\":\"failed\",\"error\":\"boom\"}";
        assertWrittenAs(expected, event);
    }

    @Test
    void escapesWhatAnErrorMessageCarries() throws Exception {
        TaskEvent event = TaskEvent.of(TaskResult.failed(new TaskDelivery("t-\"2\"", 1, new byte[0]),
                Duration.ofMillis(1), FailureKind.RETRYABLE, "line 1\nline \"2\" \u00e9\u0001"), "w\\1");

        assertWrittenAs(json.writeValueAsString(event), event);
    }

    /** What the publisher writes is what the annotated record maps to. */
    private void assertWrittenAs(String expected, TaskEvent event) throws Exception {
        assertEquals(expected, json.writeValueAsString(event));
        assertEquals(expected, new String(event.toJson(json.getFactory()), StandardCharsets.UTF_8));
    }
}
