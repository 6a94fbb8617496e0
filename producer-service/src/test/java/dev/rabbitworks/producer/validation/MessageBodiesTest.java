package dev.rabbitworks.producer.validation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageBodiesTest {

    @ParameterizedTest
    @ValueSource(strings = { "{}", "[1,2]", "\"text\"", "42", "null", " {\"a\": {\"b\": [true]}} " })
    void acceptsAnyWellFormedJson(String json) {
        assertDoesNotThrow(() -> MessageBodies.requireValidTask(bytes(json), ContentTypes.APPLICATION_JSON));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{", "{\"a\":}", "{} x", "[1,]", "nope", "   ", "\ufeff{}" })
    void refusesMalformedJson(String json) {
        assertThrows(InvalidInput.class, () -> MessageBodies.requireValidTask(bytes(json), ContentTypes.APPLICATION_JSON));
    }

    @Test
    void refusesAnEmptyBody() {
        assertThrows(InvalidInput.class, () -> MessageBodies.requireValidTask(new byte[0], ContentTypes.TEXT_PLAIN));
    }

    @Test
    void refusesTextThatIsNotUtf8() {
        byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(InvalidInput.class, () -> MessageBodies.requireValidTask(latin1, ContentTypes.TEXT_PLAIN));
    }

    @Test
    void takesBodiesUpToTheLimit() {
        assertEquals(10, MessageBodies.requireWithinLimit(new byte[10], 10).length);
        assertThrows(BodyTooLarge.class, () -> MessageBodies.requireWithinLimit(new byte[11], 10));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
