package dev.rabbitworks.producer.rest;

/**
 * A message the broker confirmed; {@code routed} is false when no queue was bound for it (normal for
 * pub/sub with no subscriber online).
 */
public record Published(String id, boolean routed) {
}
