package dev.rabbitworks.subscriber.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LimitTest {

    @Test
    void absentMeansTwentyOrAllWhenFewerAreKept() {
        assertEquals(20, Limit.parse(null, 100));
        assertEquals(5, Limit.parse(null, 5));
    }

    @Test
    void aNumberInRangeIsTaken() {
        assertEquals(1, Limit.parse("1", 100));
        assertEquals(100, Limit.parse("100", 100));
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "-3", "101", "abc", "2.5", "99999999999" })
    void anythingElseIsRefused(String raw) {
        assertThrows(BadLimitException.class, () -> Limit.parse(raw, 100));
    }
}
