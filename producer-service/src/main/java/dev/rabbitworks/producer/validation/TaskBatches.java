package dev.rabbitworks.producer.validation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * The body of POST /tasks/batch: one JSON array, one task per element. A string element is a text task
 * (published as text/plain, the string's UTF-8 bytes); any other value (object, array, number, boolean, null)
 * is a JSON task (published as application/json, the value written compactly). Empty strings, an empty array,
 * more than the configured number of tasks, or anything but one array are refused, and nothing is published.
 */
public final class TaskBatches {

    /** A task of a batch: its content type and body, ready to publish. */
    public record BatchTask(String contentType, byte[] body) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectReader JSON = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private TaskBatches() {
    }

    public static List<BatchTask> parse(byte[] body, int maxTasks) {
        MessageBodies.requireNotEmpty(body);
        Utf8.requireValid(body, "the body");
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
                tasks.add(task(parser, token, tasks.size()));
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

    private static BatchTask task(JsonParser parser, JsonToken token, int index) throws IOException {
        if (token == JsonToken.VALUE_STRING) {
            String text = parser.getText();
            if (text.isEmpty()) {
                throw new InvalidInput("task " + index + " is empty");
            }
            return new BatchTask(ContentTypes.TEXT_PLAIN, text.getBytes(StandardCharsets.UTF_8));
        }
        JsonNode value = parser.readValueAsTree();
        return new BatchTask(ContentTypes.APPLICATION_JSON, MAPPER.writeValueAsBytes(value));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
