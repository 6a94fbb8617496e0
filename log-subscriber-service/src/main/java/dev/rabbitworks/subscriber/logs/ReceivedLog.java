package dev.rabbitworks.subscriber.logs;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One message as this subscriber received it.
 *
 * @param exchange the exchange it was published to
 * @param routingKey its routing key (empty for most fanout publishers)
 * @param body the body as text (invalid UTF-8 shows as U+FFFD; very long bodies are cut and marked)
 * @param receivedAt when this instance received it
 * @param messageId the publisher's message id, absent when it set none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReceivedLog(String exchange, String routingKey, String body, Instant receivedAt, String messageId) {
}
