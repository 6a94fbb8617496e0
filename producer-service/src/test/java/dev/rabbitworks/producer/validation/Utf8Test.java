package dev.rabbitworks.producer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {

    @ParameterizedTest
    @ValueSource(strings = { "", "plain ascii...", "caf\u00e9", "\u20ac 100", "\ud83d\udc07 rabbit", "\u0800\uffff\u10ffff" })
    void acceptsWellFormedText(String text) {
        assertTrue(Utf8.isValid(text.getBytes(StandardCharsets.UTF_8), 0, text.getBytes(StandardCharsets.UTF_8).length));
    }

    @ParameterizedTest
    @ValueSource(strings = { "80", "c0af", "c1bf", "e080af", "eda080", "f08080af", "f4908080", "f5808080", "ff",
            "c3", "e282", "f09f90", "41c3" })
    void refusesMalformedBytes(String hex) {
        byte[] bytes = java.util.HexFormat.of().parseHex(hex);
        assertFalse(Utf8.isValid(bytes, 0, bytes.length), hex);
        assertThrows(InvalidInput.class, () -> Utf8.requireValid(bytes, "the body"));
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomBytes() {
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(12)];
            for (int i = 0; i < bytes.length; i++) {
                // Mostly bytes that matter in UTF-8: ASCII, continuations and lead bytes.
                bytes[i] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(256));
            }
            assertEquals(jdkAccepts(bytes), Utf8.isValid(bytes, 0, bytes.length), java.util.HexFormat.of().formatHex(bytes));
        }
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
