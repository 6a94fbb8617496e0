package dev.rabbitworks.producer.messaging;

/**
 * A message the broker confirmed. {@code routed} is false when the broker returned it (mandatory flag):
 * no queue was bound for it.
 */
public record PublishOutcome(String messageId, boolean routed) {
}
