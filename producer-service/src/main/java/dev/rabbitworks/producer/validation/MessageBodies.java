package dev.rabbitworks.producer.validation;

import java.io.IOException;
import java.io.InputStream;

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
     * Reads the body, at most {@code limit} bytes: a longer one (e.g. chunked, without Content-Length) is
     * refused as soon as the limit is passed, never buffered whole.
     */
    public static byte[] read(InputStream body, long limit) {
        try {
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, limit + 1));
            if (bytes.length > limit) {
                throw new BodyTooLarge(-1, limit);
            }
            return bytes;
        } catch (IOException e) {
            throw new UnreadableBody(e);
        }
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
        Utf8.decode(body, "the body");
        if (ContentTypes.APPLICATION_JSON.equals(contentType)) {
            requireWellFormedJson(body);
        }
        return body;
    }

    public static void requireWellFormedJson(byte[] body) {
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
