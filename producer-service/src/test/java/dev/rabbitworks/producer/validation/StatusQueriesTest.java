package dev.rabbitworks.producer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatusQueriesTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void readsWaitsAndHoldsThemToTheLimit() {
        assertEquals(Duration.ZERO, StatusQueries.waitFor(null, LIMIT));
        assertEquals(Duration.ofSeconds(10), StatusQueries.waitFor("10s", LIMIT));
        assertEquals(Duration.ofSeconds(7), StatusQueries.waitFor("7", LIMIT));
        assertEquals(Duration.ofMillis(500), StatusQueries.waitFor("500ms", LIMIT));
        assertEquals(LIMIT, StatusQueries.waitFor("5m", LIMIT));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "-1s", "10x", "1.5s", "s", "9999999999s", "10 s" })
    void refusesMalformedWaits(String wait) {
        assertThrows(InvalidInput.class, () -> StatusQueries.waitFor(wait, LIMIT));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "a b", "x/y", "caf\u00e9", "%00" })
    void refusesMalformedIds(String id) {
        assertThrows(InvalidInput.class, () -> StatusQueries.taskId(id));
    }

    @Test
    void takesUuidsAndIdsUpTo255Characters() {
        assertEquals("4f1c2b2e-7d0a-4a57-9c43-0b4a5c6d7e8f", StatusQueries.taskId("4f1c2b2e-7d0a-4a57-9c43-0b4a5c6d7e8f"));
        assertEquals(255, StatusQueries.taskId("a".repeat(255)).length());
        assertThrows(InvalidInput.class, () -> StatusQueries.taskId("a".repeat(256)));
    }
}
