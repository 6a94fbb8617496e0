package dev.rabbitworks.producer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoutingKeysTest {

    @ParameterizedTest
    @ValueSource(strings = { "info", "kern.critical", "a", "task.completed", "ünïcödé.ключ", "with space", "a-b_c:d" })
    void acceptsOrdinaryKeys(String key) {
        assertEquals(key, RoutingKeys.validate(key));
    }

    @Test
    void acceptsExactly255Bytes() {
        String key = "k".repeat(255);
        assertEquals(key, RoutingKeys.validate(key));
    }

    @Test
    void refusesEmptyKey() {
        assertThrows(InvalidInput.class, () -> RoutingKeys.validate(""));
    }

    @Test
    void refusesNullKey() {
        assertThrows(InvalidInput.class, () -> RoutingKeys.validate(null));
    }

    @Test
    void refuses256Bytes() {
        assertThrows(InvalidInput.class, () -> RoutingKeys.validate("k".repeat(256)));
    }

    @Test
    void countsBytesNotCharacters() {
        // 128 two-byte characters: 128 chars, 256 bytes
        assertThrows(InvalidInput.class, () -> RoutingKeys.validate("é".repeat(128)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "*", "kern.*", "#", "kern.#", "a*b", "a#b" })
    void refusesWildcards(String key) {
        assertThrows(InvalidInput.class, () -> RoutingKeys.validate(key));
    }

    @Test
    void refusesWhatInvalidUtf8InAPathDecodesTo() {
        String decoded = URLDecoder.decode("bad%FFkey", StandardCharsets.UTF_8);
        assertThrows(InvalidInput.class, () -> RoutingKeys.validate(decoded));
    }
}
