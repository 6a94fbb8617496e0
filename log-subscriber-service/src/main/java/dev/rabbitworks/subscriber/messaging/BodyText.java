package dev.rabbitworks.subscriber.messaging;

import java.nio.charset.StandardCharsets;

/** A body as text, whatever its content type says. */
public final class BodyText {

    private BodyText() {
    }

    /** Decodes UTF-8; malformed input becomes U+FFFD instead of failing, so no body can break the stream. */
    public static String of(byte[] body) {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }
}
