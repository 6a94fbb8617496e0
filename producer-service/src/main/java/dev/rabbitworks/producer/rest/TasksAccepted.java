package dev.rabbitworks.producer.rest;

import java.util.List;

/** A batch of tasks the broker confirmed into the work queue, every one of them; the ids in the batch's order. */
public record TasksAccepted(List<String> ids) {
}
