package dev.rabbitworks.subscriber.messaging;

import java.time.Instant;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;

import dev.rabbitworks.subscriber.logs.ReceivedLog;
import dev.rabbitworks.subscriber.logs.Truncation;

/** Reads a delivery into a {@link ReceivedLog}. */
final class ReceivedLogs {

    private ReceivedLogs() {
    }

    static ReceivedLog from(Envelope envelope, AMQP.BasicProperties properties, byte[] body, Instant receivedAt,
            int maxBodyLength) {
        String messageId = properties == null ? null : properties.getMessageId();
        return new ReceivedLog(envelope.getExchange(), envelope.getRoutingKey(),
                Truncation.cut(BodyText.of(body), maxBodyLength), receivedAt, messageId);
    }
}
