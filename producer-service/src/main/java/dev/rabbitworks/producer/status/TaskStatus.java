package dev.rabbitworks.producer.status;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What GET /tasks/{id} answers: where a task is, as its lifecycle events tell. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskStatus(String id, String state, int attempts, String worker, Instant acceptedAt, Instant startedAt,
        Instant finishedAt, String reason) {
}
