package dev.rabbitworks.subscriber.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

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
    void whatTheConnectorConvertedIsShownAsText() {
        assertEquals("text", BodyText.of("text"));
        assertEquals("buffer", BodyText.of(Buffer.buffer("buffer")));
        assertEquals("{\"a\":1}", BodyText.of(new JsonObject().put("a", 1)));
        assertEquals("[1,2]", BodyText.of(new JsonArray().add(1).add(2)));
        assertEquals("42", BodyText.of(42));
        assertEquals("", BodyText.of(null));
    }
}
