package dev.rabbitworks.rpc.procedure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RequestArgumentTest {

    @Test
    void decodesUtf8WithoutContentType() throws BadArgumentException {
        assertEquals("grüße", new RequestArgument("grüße".getBytes(StandardCharsets.UTF_8), Optional.empty(),
                Optional.empty()).text());
    }

    @Test
    void decodesTextPlain() throws BadArgumentException {
        assertEquals("42", new RequestArgument("42".getBytes(), Optional.of("text/plain; charset=utf-8"),
                Optional.empty()).text());
    }

    @Test
    void refusesInvalidUtf8() {
        RequestArgument argument = new RequestArgument(new byte[] { '1', (byte) 0xff, (byte) 0xfe }, Optional.empty(),
                Optional.empty());

        assertThrows(BadArgumentException.class, argument::text);
    }

    @Test
    void unwrapsJsonStringsAndNumbersOnly() throws BadArgumentException {
        Optional<String> json = Optional.of("application/json");
        assertEquals("7", new RequestArgument("\"7\"".getBytes(), json, Optional.empty()).text());
        assertEquals("7", new RequestArgument(" 7 ".getBytes(), json, Optional.empty()).text());
        assertEquals("{\"n\":7}", new RequestArgument("{\"n\":7}".getBytes(), json, Optional.empty()).text());
        assertEquals("not json", new RequestArgument("not json".getBytes(), json, Optional.empty()).text());
    }

    @Test
    void refusesEncodedBodies() {
        RequestArgument gzipped = new RequestArgument("7".getBytes(), Optional.empty(), Optional.of("gzip"));

        assertThrows(BadArgumentException.class, gzipped::text);
    }
}
