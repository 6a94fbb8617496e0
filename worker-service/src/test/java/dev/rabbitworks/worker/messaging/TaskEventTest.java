package dev.rabbitworks.worker.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rabbitworks.worker.work.FailureKind;
import dev.rabbitworks.worker.work.TaskDelivery;
import dev.rabbitworks.worker.work.TaskResult;

/** The event bodies as docs/messaging-contract.md spells them, written by the streaming generator. */
class TaskEventTest {

    private static final long AT = Instant.parse("2026-12-02T08:00:00.123Z").toEpochMilli();
    private static final TaskDelivery DELIVERY = new TaskDelivery("t-1", 2, new byte[0]);

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void startedSaysWhoStartedWhichAttemptWhen() {
        TaskEvent event = TaskEvent.started(DELIVERY, "worker-a", AT);

        assertEquals("task.started", event.routingKey());
        assertWritten("{\"taskId\":\"t-1\",\"state\":\"started\",\"attempt\":2,\"worker\":\"worker-a\","
                + "\"timestamp\":\"2026-12-02T08:00:00.123Z\"}", event);
    }

    @Test
    void completedKeepsItsEarlierFieldsAndHasNoError() {
        TaskEvent event = TaskEvent.ended(TaskResult.completed(DELIVERY, Duration.ofMillis(12)), "worker-a", AT);

        assertEquals("task.completed", event.routingKey());
        assertWritten("{\"taskId\":\"t-1\",\"state\":\"completed\",\"attempt\":2,\"worker\":\"worker-a\","
                + "\"timestamp\":\"2026-12-02T08:00:00.123Z\",\"durationMs\":12,\"outcome\":\"completed\"}", event);
    }

    @Test
    void failedCarriesTheErrorAndANullTaskIdWhenTheTaskHadNone() {
        TaskEvent event = TaskEvent.ended(TaskResult.failed(new TaskDelivery(null, 1, new byte[0]),
                Duration.ofMillis(3), FailureKind.RETRYABLE, "boom"), "worker-a", AT);

        assertEquals("task.failed", event.routingKey());
        assertWritten("{\"taskId\":null,\"state\":\"failed\",\"attempt\":1,\"worker\":\"worker-a\","
                + "\"timestamp\":\"2026-12-02T08:00:00.123Z\",\"durationMs\":3,\"outcome\":\"failed\","
                + "\"error\":\"boom\"}", event);
    }

    @Test
    void retryingCarriesTheDelayAndTheReason() {
        TaskEvent event = TaskEvent.retrying(failed("boom"), "worker-a", AT, Duration.ofSeconds(4));

        assertEquals("task.retrying", event.routingKey());
        assertWritten("{\"taskId\":\"t-1\",\"state\":\"retrying\",\"attempt\":2,\"worker\":\"worker-a\","
                + "\"timestamp\":\"2026-12-02T08:00:00.123Z\",\"delayMs\":4000,\"reason\":\"boom\"}", event);
    }

    @Test
    void deadCarriesTheReason() {
        TaskEvent event = TaskEvent.dead(failed("boom"), "worker-a", AT);

        assertEquals("task.dead", event.routingKey());
        assertWritten("{\"taskId\":\"t-1\",\"state\":\"dead\",\"attempt\":2,\"worker\":\"worker-a\","
                + "\"timestamp\":\"2026-12-02T08:00:00.123Z\",\"reason\":\"boom\"}", event);
    }

    @Test
    void escapesWhatAnErrorMessageCarries() throws Exception {
        String error = "line 1\nline \"2\" \u00e9\u0001";
        TaskEvent event = TaskEvent.ended(TaskResult.failed(new TaskDelivery("t-\"2\"", 1, new byte[0]),
                Duration.ofMillis(1), FailureKind.RETRYABLE, error), "w\\1", AT);

        JsonNode body = json.readTree(event.toJson(json.getFactory()));
        assertEquals("t-\"2\"", body.path("taskId").asText());
        assertEquals("w\\1", body.path("worker").asText());
        assertEquals(error, body.path("error").asText());
    }

    @Test
    void timestampsAlwaysHaveThreeDigitsOfMillisecondsInUtc() {
        assertEquals("2026-12-02T08:00:00.000Z", UtcMillis.format(Instant.parse("2026-12-02T08:00:00Z")
                .toEpochMilli()));
        assertEquals("2026-12-02T08:00:00.007Z", UtcMillis.format(Instant.parse("2026-12-02T08:00:00.007Z")
                .toEpochMilli()));
        assertEquals("1969-12-31T23:59:59.999Z", UtcMillis.format(-1));
        // The second is cached: the next one must not keep the last one's text.
        assertEquals("2026-12-02T08:00:01.000Z", UtcMillis.format(Instant.parse("2026-12-02T08:00:01Z")
                .toEpochMilli()));
        long now = System.currentTimeMillis();
        assertEquals(Instant.ofEpochMilli(now), Instant.parse(UtcMillis.format(now)));
    }

    @Test
    void onlyCompletedAndDeadAreFinal() {
        for (TaskState state : TaskState.values()) {
            assertEquals(state == TaskState.COMPLETED || state == TaskState.DEAD, state.isFinal(), state::name);
            assertTrue(state.routingKey().equals("task." + state.label()), state::name);
        }
    }

    private static TaskResult failed(String error) {
        return TaskResult.failed(DELIVERY, Duration.ofMillis(3), FailureKind.RETRYABLE, error);
    }

    private static void assertWritten(String expected, TaskEvent event) {
        assertEquals(expected, new String(event.toJson(new ObjectMapper().getFactory()), StandardCharsets.UTF_8));
    }
}
