package dev.rabbitworks.producer.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LifecycleEventTest {

    private static final String STARTED = "{\"taskId\":\"t\",\"state\":\"started\",\"attempt\":1,"
            + "\"timestamp\":\"2026-12-02T08:00:00Z\"}";

    @Test
    void readsAWorkerEventWithItsEarlierFields() {
        LifecycleEvent.Read read = LifecycleEvent.readAll(bytes("{\"taskId\":\"t\",\"state\":\"failed\",\"attempt\":2,"
                + "\"worker\":\"w\",\"timestamp\":\"2026-12-02T08:00:00.123Z\",\"durationMs\":3,\"outcome\":\"failed\","
                + "\"error\":\"boom\"}"));
        assertEquals(List.of(new LifecycleEvent("t", TaskState.FAILED, 2, "w",
                Instant.parse("2026-12-02T08:00:00.123Z"), "boom", null, null)), read.events());
        assertEquals(List.of(), read.unreadable());
    }

    @Test
    void theAcceptedEventsWeWriteReadBack() {
        List<LifecycleEvent> accepted = List.of(
                new LifecycleEvent("t1", TaskState.ACCEPTED, 0, null, Instant.parse("2026-12-02T08:00:00.123Z"), null,
                        "key", "abc"),
                new LifecycleEvent("t2", TaskState.ACCEPTED, 0, null, Instant.parse("2026-12-02T08:00:00.124Z"), null,
                        null, null));
        assertEquals(accepted, LifecycleEvent.readAll(AcceptedEvents.toJson(accepted)).events());
    }

    @Test
    void anArrayKeepsItsReadableEvents() {
        LifecycleEvent.Read read = LifecycleEvent.readAll(bytes("[" + STARTED + ", 42, {\"taskId\":\"u\"}]"));
        assertEquals(List.of("t"), read.events().stream().map(LifecycleEvent::taskId).toList());
        assertEquals(List.of("not a JSON object", "unknown state"), read.unreadable());
    }

    @Test
    void anArrayIsReadUpToItsBound() {
        String many = "[" + String.join(",", Collections.nCopies(LifecycleEvent.MAX_PER_MESSAGE + 5, STARTED)) + "]";
        LifecycleEvent.Read read = LifecycleEvent.readAll(bytes(many));
        assertEquals(LifecycleEvent.MAX_PER_MESSAGE, read.events().size());
        assertEquals(1, read.unreadable().size());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "nope", "[]", "42", "{}", "{\"taskId\":\"t\"}",
            "{\"taskId\":\"t\",\"state\":\"bogus\",\"attempt\":1,\"timestamp\":\"2026-12-02T08:00:00Z\"}",
            "{\"taskId\":\"t\",\"state\":\"started\",\"attempt\":-1,\"timestamp\":\"2026-12-02T08:00:00Z\"}",
            "{\"taskId\":\"t\",\"state\":\"started\",\"attempt\":\"x\",\"timestamp\":\"2026-12-02T08:00:00Z\"}",
            "{\"taskId\":\"t\",\"state\":\"started\",\"attempt\":1,\"timestamp\":\"yesterday\"}",
            "{\"taskId\":\"\",\"state\":\"started\",\"attempt\":1,\"timestamp\":\"2026-12-02T08:00:00Z\"}",
            "{\"taskId\":7,\"state\":\"started\",\"attempt\":1,\"timestamp\":\"2026-12-02T08:00:00Z\"}",
            "[[" + STARTED + "]]" })
    void refusesWhatIsNotALifecycleEvent(String body) {
        LifecycleEvent.Read read = LifecycleEvent.readAll(bytes(body));
        assertEquals(List.of(), read.events());
        assertTrue(!read.unreadable().isEmpty(), body);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
