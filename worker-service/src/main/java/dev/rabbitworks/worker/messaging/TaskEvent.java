package dev.rabbitworks.worker.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.rabbitworks.worker.work.TaskResult;

/**
 * What the worker tells the world after each attempt (contract: "Task events"), published to the topic exchange
 * with routing key {@code task.<outcome>}.
 */
@JsonPropertyOrder({ "taskId", "worker", "attempt", "durationMs", "outcome", "error" })
public record TaskEvent(
        @JsonInclude(JsonInclude.Include.ALWAYS) String taskId,
        String worker,
        int attempt,
        long durationMs,
        String outcome,
        @JsonInclude(JsonInclude.Include.NON_NULL) String error) {

    public static TaskEvent of(TaskResult result, String worker) {
        return new TaskEvent(result.delivery().taskId(), worker, result.delivery().attempt(),
                result.duration().toMillis(), result.outcome().label(), result.error());
    }

    public String routingKey() {
        return "task." + outcome;
    }
}
