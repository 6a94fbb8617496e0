package dev.rabbitworks.producer.validation;

import java.io.IOException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/** Checks on a message body before it is published. */
public final class MessageBodies {

    /** One JSON value and nothing after it ("{} x" is not well-formed). */
    private static final ObjectReader JSON = new ObjectMapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private MessageBodies() {
    }

    /**
     * The body as read by the HTTP layer (which buffers at most quarkus.http.limits.max-body-size), refused when
     * it is over {@code limit}: a body announced larger never gets here (BodyLimitFilter), a chunked one is
     * measured here.
     */
    public static byte[] requireWithinLimit(byte[] body, long limit) {
        if (body.length > limit) {
            throw new BodyTooLarge(-1, limit);
        }
        return body;
    }

    public static byte[] requireNotEmpty(byte[] body) {
        if (body.length == 0) {
            throw new InvalidInput("the body is empty");
        }
        return body;
    }

    /** A task body: UTF-8 text, and well-formed JSON when it says it is JSON. */
    public static byte[] requireValidTask(byte[] body, String contentType) {
        requireNotEmpty(body);
        Utf8.requireValid(body, "the body");
        if (ContentTypes.APPLICATION_JSON.equals(contentType)) {
            requireWellFormedJson(body);
        }
        return body;
    }

    /**
     * JSON text must not start with a byte order mark (RFC 8259, section 8.1). A parser may skip it, but many
     * consumers do not, and we publish the bytes as received: refused rather than passed on.
     */
    public static void requireNoByteOrderMark(byte[] body) {
        if (body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF) {
            throw new InvalidInput("JSON must not start with a byte order mark (RFC 8259, section 8.1)");
        }
    }

    public static void requireWellFormedJson(byte[] body) {
        requireNoByteOrderMark(body);
        try {
            JsonNode value = JSON.readTree(body);
            if (value == null || value.isMissingNode()) {
                throw new InvalidInput("malformed JSON: no value");
            }
        } catch (IOException e) {
            throw new InvalidInput("malformed JSON: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
