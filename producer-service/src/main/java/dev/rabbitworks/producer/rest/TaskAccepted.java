package dev.rabbitworks.producer.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.rabbitworks.producer.status.TaskStatus;

/**
 * A task the broker confirmed into the work queue; {@code id} is its message id. {@code status} is there when the
 * answer replays an earlier request with the same Idempotency-Key: the task's current status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskAccepted(String id, TaskStatus status) {

    public TaskAccepted(String id) {
        this(id, null);
    }
}
