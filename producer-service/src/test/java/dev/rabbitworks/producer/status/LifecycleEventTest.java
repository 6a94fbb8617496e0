package dev.rabbitworks.producer.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LifecycleEventTest {

    @Test
    void readsAWorkerEventWithItsEarlierFields() throws Exception {
        LifecycleEvent event = LifecycleEvent.parse(bytes("{\"taskId\":\"t\",\"state\":\"failed\",\"attempt\":2,"
                + "\"worker\":\"w\",\"timestamp\":\"2026-12-02T08:00:00.123Z\",\"durationMs\":3,\"outcome\":\"failed\","
                + "\"error\":\"boom\"}"));
        assertEquals(new LifecycleEvent("t", TaskState.FAILED, 2, "w", Instant.parse("2026-12-02T08:00:00.123Z"),
                "boom", null, null), event);
    }

    @Test
    void theAcceptedEventWeWriteReadsBack() throws Exception {
        LifecycleEvent accepted = new LifecycleEvent("t", TaskState.ACCEPTED, 0, null,
                Instant.parse("2026-12-02T08:00:00.123Z"), null, "key", "abc");
        assertEquals(accepted, LifecycleEvent.parse(AcceptedEvents.toJson(accepted)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "nope", "[]", "42", "{}", "{\"taskId\":\"t\"}",
            "{\"taskId\":\"t\",\"state\":\"bogus\",\"attempt\":1,\"timestamp\":\"2026-12-02T08:00:00Z\"}",
            "{\"taskId\":\"t\",\"state\":\"started\",\"attempt\":-1,\"timestamp\":\"2026-12-02T08:00:00Z\"}",
            "{\"taskId\":\"t\",\"state\":\"started\",\"attempt\":\"x\",\"timestamp\":\"2026-12-02T08:00:00Z\"}",
            "{\"taskId\":\"t\",\"state\":\"started\",\"attempt\":1,\"timestamp\":\"yesterday\"}",
            "{\"taskId\":\"\",\"state\":\"started\",\"attempt\":1,\"timestamp\":\"2026-12-02T08:00:00Z\"}",
            "{\"taskId\":7,\"state\":\"started\",\"attempt\":1,\"timestamp\":\"2026-12-02T08:00:00Z\"}" })
    void refusesWhatIsNotALifecycleEvent(String body) {
        assertThrows(LifecycleEvent.Unreadable.class, () -> LifecycleEvent.parse(bytes(body)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
