package dev.rabbitworks.worker.messaging;

import java.util.Optional;

import org.eclipse.microprofile.reactive.messaging.Message;

import dev.rabbitworks.worker.work.TaskDelivery;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMessage;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;

/** Reads a task delivery from what the connector hands over, whatever the publisher's content type. */
final class TaskDeliveries {

    /** Set by quorum queues on redeliveries: how many times the task was returned to the queue. */
    static final String DELIVERY_COUNT_HEADER = "x-delivery-count";

    private TaskDeliveries() {
    }

    static TaskDelivery read(Message<?> message) {
        Optional<IncomingRabbitMQMetadata> metadata = message.getMetadata(IncomingRabbitMQMetadata.class);
        String taskId = metadata.flatMap(IncomingRabbitMQMetadata::getMessageId).orElse(null);
        int attempt = metadata.map(TaskDeliveries::attempt).orElse(1);
        return new TaskDelivery(taskId, attempt, body(message));
    }

    /** The consumer the broker delivered this message to (delivery tags are only valid on its channel). */
    static String consumerTag(Message<?> message) {
        if (message instanceof IncomingRabbitMQMessage<?> incoming) {
            return incoming.getRabbitMQMessage().consumerTag();
        }
        return null;
    }

    static int attempt(IncomingRabbitMQMetadata metadata) {
        Object count = metadata.getHeaders().get(DELIVERY_COUNT_HEADER);
        if (count instanceof Number number) {
            return (int) Math.min(Integer.MAX_VALUE - 1L, Math.max(0L, number.longValue())) + 1;
        }
        return metadata.isRedeliver() ? 2 : 1;
    }

    /**
     * The raw body. The channel sets content-type-override=application/octet-stream so the connector always
     * hands bytes: its own text decoding would silently replace invalid UTF-8, which must be dead-lettered.
     */
    private static byte[] body(Message<?> message) {
        if (message instanceof IncomingRabbitMQMessage<?> incoming) {
            return incoming.getRabbitMQMessage().body().getBytes();
        }
        Object payload = message.getPayload();
        if (payload instanceof byte[] bytes) {
            return bytes;
        }
        throw new IllegalArgumentException("unexpected task payload type " + payload.getClass().getName());
    }
}
