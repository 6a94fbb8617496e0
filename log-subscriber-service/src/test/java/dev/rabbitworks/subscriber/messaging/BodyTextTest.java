package dev.rabbitworks.subscriber.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class BodyTextTest {

    @Test
    void bytesAreDecodedAsUtf8() {
        assertEquals("héllo", BodyText.of("héllo".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() {
        assertEquals("a\uFFFDb", BodyText.of(new byte[] { 'a', (byte) 0xFF, 'b' }));
    }

    @Test
    void noBodyIsEmptyText() {
        assertEquals("", BodyText.of(new byte[0]));
        assertEquals("", BodyText.of(null));
    }
}
