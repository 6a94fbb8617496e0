package dev.rabbitworks.producer.status;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One task lifecycle event as read off the stream (docs/messaging-contract.md, "Task lifecycle events").
 *
 * @param reason why an attempt failed or the task was dead-lettered (the worker's {@code reason} or {@code error})
 * @param idempotencyKey and {@code bodySha256}: only in {@code task.accepted}, when the client sent a key
 */
public record LifecycleEvent(String taskId, TaskState state, int attempt, String worker, Instant timestamp,
        String reason, String idempotencyKey, String bodySha256) {

    /** Longest text kept from an event (a task id, a worker name, a reason): events come from anyone on the bus. */
    static final int MAX_TEXT = 1000;
    /** Most events read from one message (the producer puts at most 256 in one); the rest count as unreadable. */
    static final int MAX_PER_MESSAGE = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An event that cannot be read: it is counted and skipped, never applied. */
    public static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    /** The events of one message: each readable one, and why each other one is not. */
    public record Read(List<LifecycleEvent> events, List<String> unreadable) {
    }

    /**
     * Reads one message of the stream: one event object (the worker's events), or an array of them (the producer's
     * task.accepted). An array's readable events are read even when others in it are not.
     */
    public static Read readAll(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return new Read(List.of(), List.of("not JSON"));
        }
        if (root == null || !root.isArray()) {
            try {
                return new Read(List.of(parse(root)), List.of());
            } catch (Unreadable e) {
                return new Read(List.of(), List.of(e.getMessage()));
            }
        }
        if (root.isEmpty()) {
            return new Read(List.of(), List.of("an empty array"));
        }
        List<LifecycleEvent> events = new ArrayList<>(root.size());
        List<String> unreadable = new ArrayList<>();
        for (JsonNode element : root) {
            if (events.size() + unreadable.size() >= MAX_PER_MESSAGE) {
                unreadable.add("more than " + MAX_PER_MESSAGE + " events in one message");
                break;
            }
            try {
                events.add(parse(element));
            } catch (Unreadable e) {
                unreadable.add(e.getMessage());
            }
        }
        return new Read(events, unreadable);
    }

    private static LifecycleEvent parse(JsonNode event) throws Unreadable {
        if (event == null || !event.isObject()) {
            throw new Unreadable("not a JSON object");
        }
        String taskId = text(event, "taskId");
        if (taskId == null || taskId.isEmpty()) {
            throw new Unreadable("no taskId");
        }
        TaskState state = TaskState.of(text(event, "state"))
                .orElseThrow(() -> new Unreadable("unknown state"));
        JsonNode attempt = event.path("attempt");
        if (!attempt.canConvertToInt() || attempt.asInt() < 0) {
            throw new Unreadable("no attempt number");
        }
        Instant timestamp;
        try {
            timestamp = Instant.parse(event.path("timestamp").asText(""));
        } catch (DateTimeParseException e) {
            throw new Unreadable("no timestamp");
        }
        String reason = text(event, "reason");
        return new LifecycleEvent(taskId, state, attempt.asInt(), text(event, "worker"), timestamp,
                reason != null ? reason : text(event, "error"), text(event, "idempotencyKey"),
                text(event, "bodySha256"));
    }

    private static String text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        if (value == null || !value.isTextual()) {
            return null;
        }
        String text = value.asText();
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }
}
