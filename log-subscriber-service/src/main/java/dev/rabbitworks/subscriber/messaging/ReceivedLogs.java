package dev.rabbitworks.subscriber.messaging;

import java.time.Instant;
import java.util.Optional;

import org.eclipse.microprofile.reactive.messaging.Message;

import dev.rabbitworks.subscriber.logs.ReceivedLog;
import dev.rabbitworks.subscriber.logs.Truncation;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;

/** Reads a connector message into a {@link ReceivedLog}. */
final class ReceivedLogs {

    private ReceivedLogs() {
    }

    static ReceivedLog from(Message<?> message, Instant receivedAt, int maxBodyLength) {
        Optional<IncomingRabbitMQMetadata> metadata = message.getMetadata(IncomingRabbitMQMetadata.class);
        String exchange = metadata.map(IncomingRabbitMQMetadata::getExchange).orElse("");
        String routingKey = metadata.map(IncomingRabbitMQMetadata::getRoutingKey).orElse("");
        String messageId = metadata.flatMap(IncomingRabbitMQMetadata::getMessageId).orElse(null);
        String body = Truncation.cut(BodyText.of(message.getPayload()), maxBodyLength);
        return new ReceivedLog(exchange, routingKey, body, receivedAt, messageId);
    }
}
