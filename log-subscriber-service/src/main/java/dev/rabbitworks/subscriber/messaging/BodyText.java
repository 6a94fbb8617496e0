package dev.rabbitworks.subscriber.messaging;

import java.nio.charset.StandardCharsets;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Turns whatever payload the connector hands over into text. The channels set
 * {@code content-type-override=application/octet-stream}, so this is normally the raw {@code byte[]};
 * the other cases cover the connector's content-type conversions should that setting be removed.
 */
public final class BodyText {

    private BodyText() {
    }

    public static String of(Object payload) {
        if (payload == null) {
            return "";
        }
        if (payload instanceof byte[] bytes) {
            return utf8(bytes);
        }
        if (payload instanceof CharSequence text) {
            return text.toString();
        }
        if (payload instanceof Buffer buffer) {
            return utf8(buffer.getBytes());
        }
        if (payload instanceof io.vertx.mutiny.core.buffer.Buffer buffer) {
            return utf8(buffer.getBytes());
        }
        if (payload instanceof JsonObject json) {
            return json.encode();
        }
        if (payload instanceof JsonArray json) {
            return json.encode();
        }
        return String.valueOf(payload);
    }

    /** Decodes UTF-8; malformed input becomes U+FFFD instead of failing, so no body can break the stream. */
    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
