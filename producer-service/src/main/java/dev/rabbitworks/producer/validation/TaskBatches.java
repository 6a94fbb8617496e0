package dev.rabbitworks.producer.validation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * The body of POST /tasks/batch: one JSON array, one task per element. A string element is a text task
 * (published as text/plain, the string's text in UTF-8); any other value (object, array, number, boolean, null)
 * is a JSON task (published as application/json, exactly the bytes the client sent for that element: a 202
 * promises the task as sent, so numbers like 1e400, duplicate keys or -0 are never re-serialized). Empty strings,
 * strings that are not text (an unpaired surrogate escape such as "\ud800"), an empty array, more than the
 * configured number of tasks, a byte order mark, or anything but one array are refused, and nothing is published.
 */
public final class TaskBatches {

    /** A task of a batch: its content type and body, ready to publish. */
    public record BatchTask(String contentType, byte[] body) {
    }

    private static final ObjectReader JSON = new ObjectMapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private TaskBatches() {
    }

    public static List<BatchTask> parse(byte[] body, int maxTasks) {
        MessageBodies.requireNotEmpty(body);
        Utf8.requireValid(body, "the body");
        MessageBodies.requireNoByteOrderMark(body);
        List<BatchTask> tasks = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new InvalidInput("a batch must be a JSON array of tasks (strings for text tasks, other JSON"
                        + " values for JSON tasks)");
            }
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw new InvalidInput("malformed JSON: the array is not closed");
                }
                if (tasks.size() == maxTasks) {
                    throw new InvalidInput("a batch holds at most " + maxTasks + " tasks (producer.max-batch-size)");
                }
                tasks.add(task(parser, token, body, tasks.size()));
            }
            if (parser.nextToken() != null) {
                throw new InvalidInput("malformed JSON: something follows the array");
            }
        } catch (IOException e) {
            throw new InvalidInput("malformed JSON: " + firstLine(e.getMessage()));
        }
        if (tasks.isEmpty()) {
            throw new InvalidInput("the batch is empty");
        }
        return tasks;
    }

    private static BatchTask task(JsonParser parser, JsonToken token, byte[] body, int index) throws IOException {
        if (token == JsonToken.VALUE_STRING) {
            String text = parser.getText();
            if (text.isEmpty()) {
                throw new InvalidInput("task " + index + " is empty");
            }
            if (!isWellFormed(text)) {
                throw new InvalidInput("task " + index + " is not text: it holds an unpaired surrogate escape");
            }
            return new BatchTask(ContentTypes.TEXT_PLAIN, text.getBytes(StandardCharsets.UTF_8));
        }
        // The element's own bytes: from where its first token starts to where its last one ends.
        long start = parser.currentTokenLocation().getByteOffset();
        parser.skipChildren();
        long end = parser.currentLocation().getByteOffset();
        return new BatchTask(ContentTypes.APPLICATION_JSON, Arrays.copyOfRange(body, (int) start, (int) end));
    }

    /** False when a high or low surrogate stands alone: such a string has no UTF-8 encoding. */
    private static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
