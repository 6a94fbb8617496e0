package dev.rabbitworks.worker.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import dev.rabbitworks.worker.work.TaskDelivery;
import dev.rabbitworks.worker.work.TaskOutcome;
import dev.rabbitworks.worker.work.TaskResult;

/**
 * One state change of a task, as the worker reports it on the topic exchange with routing key {@code task.<state>}
 * (docs/messaging-contract.md, "Task lifecycle events"). Fields that a state does not have are {@link #ABSENT}
 * (numbers) or null (text).
 *
 * @param taskId the task's message id, null when it had none
 * @param timestampMillis when the state was reached, epoch milliseconds
 * @param durationMs how long the attempt took ({@code completed}, {@code failed})
 * @param error why the attempt failed ({@code failed})
 * @param delayMs the wait before the next attempt ({@code retrying})
 * @param reason why it is retried or dead ({@code retrying}, {@code dead})
 */
public record TaskEvent(String taskId, TaskState state, int attempt, String worker, long timestampMillis,
        long durationMs, String error, long delayMs, String reason) {

    public static final long ABSENT = -1;

    /** The worker took the delivery and starts this attempt. */
    public static TaskEvent started(TaskDelivery delivery, String worker, long at) {
        return new TaskEvent(delivery.taskId(), TaskState.STARTED, delivery.attempt(), worker, at, ABSENT, null,
                ABSENT, null);
    }

    /** The attempt is over: {@code completed} or {@code failed}, with its duration (and error). */
    public static TaskEvent ended(TaskResult result, String worker, long at) {
        TaskState state = result.outcome() == TaskOutcome.COMPLETED ? TaskState.COMPLETED : TaskState.FAILED;
        return new TaskEvent(result.delivery().taskId(), state, result.delivery().attempt(), worker, at,
                result.duration().toMillis(), result.error(), ABSENT, null);
    }

    /** The failed task waits {@code delay} in its retry queue before its next attempt. */
    public static TaskEvent retrying(TaskResult result, String worker, long at, Duration delay) {
        return new TaskEvent(result.delivery().taskId(), TaskState.RETRYING, result.delivery().attempt(), worker, at,
                ABSENT, null, delay.toMillis(), result.error());
    }

    /** The task is in the dead letters, after this attempt. */
    public static TaskEvent dead(TaskResult result, String worker, long at) {
        return new TaskEvent(result.delivery().taskId(), TaskState.DEAD, result.delivery().attempt(), worker, at,
                ABSENT, null, ABSENT, result.error());
    }

    public String routingKey() {
        return state.routingKey();
    }

    /**
     * The body, written field by field with Jackson's streaming generator: no reflective record access per event
     * (that was a tenth of a task's CPU). {@code task.completed} and {@code task.failed} keep the fields they had
     * before the lifecycle events ({@code durationMs}, {@code outcome}, {@code error}).
     */
    public byte[] toJson(JsonFactory factory) {
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(200);
                JsonGenerator out = factory.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("taskId", taskId);
            out.writeStringField("state", state.label());
            out.writeNumberField("attempt", attempt);
            out.writeStringField("worker", worker);
            out.writeStringField("timestamp", UtcMillis.format(timestampMillis));
            if (durationMs != ABSENT) {
                out.writeNumberField("durationMs", durationMs);
                out.writeStringField("outcome", state.label());
            }
            if (error != null) {
                out.writeStringField("error", error);
            }
            if (delayMs != ABSENT) {
                out.writeNumberField("delayMs", delayMs);
            }
            if (reason != null) {
                out.writeStringField("reason", reason);
            }
            out.writeEndObject();
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a task event", e);
        }
    }
}
