package dev.rabbitworks.producer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdempotencyKeysTest {

    @Test
    void takesBareAndQuotedKeys() {
        assertNull(IdempotencyKeys.validate(null));
        assertEquals("8e03978e-40d5", IdempotencyKeys.validate("8e03978e-40d5"));
        assertEquals("8e03978e-40d5", IdempotencyKeys.validate("\"8e03978e-40d5\""));
        assertEquals(255, IdempotencyKeys.validate("k".repeat(255)).length());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "\"\"", "caf\u00e9", "tab\there", "a\"b" })
    void refusesEmptyAndMalformedKeys(String key) {
        assertThrows(InvalidInput.class, () -> IdempotencyKeys.validate(key));
    }

    @Test
    void refusesKeysOver255Bytes() {
        assertThrows(InvalidInput.class, () -> IdempotencyKeys.validate("k".repeat(256)));
    }

    @Test
    void theFingerprintTellsRequestsApart() {
        byte[] body = "work.".getBytes(StandardCharsets.UTF_8);
        assertEquals(IdempotencyKeys.fingerprint("text/plain", body), IdempotencyKeys.fingerprint("text/plain", body));
        assertNotEquals(IdempotencyKeys.fingerprint("text/plain", body),
                IdempotencyKeys.fingerprint("application/json", body));
        assertNotEquals(IdempotencyKeys.fingerprint("text/plain", body),
                IdempotencyKeys.fingerprint("text/plain", "work..".getBytes(StandardCharsets.UTF_8)));
    }
}
