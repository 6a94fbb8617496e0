package dev.rabbitworks.producer.rest;

/** A task the broker confirmed into the work queue; {@code id} is its message id. */
public record TaskAccepted(String id) {
}
