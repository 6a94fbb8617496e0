package dev.rabbitworks.rpc.messaging;

import java.nio.charset.StandardCharsets;

/**
 * The AMQP 0-9-1 short string limit (reply_to, correlation_id, routing keys): 255 bytes of UTF-8.
 * <p>
 * A value read off a request can be longer once re-encoded: the client decodes invalid UTF-8 into
 * U+FFFD, three bytes each. The amqp-client then refuses to write it (through the SmallRye connector, that
 * reply was sent again for ever and held every later one). So whatever a reply copies from a request must be
 * checked to fit, and a request whose values do not is rejected unanswered.
 */
final class ShortString {

    static final int MAX_BYTES = 255;

    private ShortString() {
    }

    static boolean fits(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    }
}
