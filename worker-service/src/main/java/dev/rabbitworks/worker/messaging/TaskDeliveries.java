package dev.rabbitworks.worker.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.reactive.messaging.Message;

import dev.rabbitworks.worker.work.TaskDelivery;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMessage;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;

/** Reads a task delivery from what the connector hands over, whatever the publisher's content type. */
final class TaskDeliveries {

    /** Set by quorum queues on redeliveries: how many times the task was returned to the queue. */
    static final String DELIVERY_COUNT_HEADER = "x-delivery-count";
    /** Set by the worker on a task it sends to a retry queue: the number of the attempt the retry will be. */
    static final String ATTEMPT_HEADER = "x-attempt";
    /** Attempt numbers beyond this are taken as this (a header can say anything). */
    static final int MAX_ATTEMPT = 1_000_000;

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

    /**
     * The attempt this delivery is: the attempt the worker wrote on a retried task ({@code x-attempt}, else 1), plus
     * the redeliveries of this copy by the queue ({@code x-delivery-count}, else 1 if the redelivered flag is set):
     * a task returned by a worker that died counts as an attempt.
     */
    static int attempt(IncomingRabbitMQMetadata metadata) {
        return attempt(metadata.getHeaders(), metadata.isRedeliver());
    }

    static int attempt(Map<String, Object> headers, boolean redelivered) {
        long base = headers == null ? -1 : whole(headers.get(ATTEMPT_HEADER));
        long redeliveries = headers == null ? -1 : whole(headers.get(DELIVERY_COUNT_HEADER));
        if (redeliveries < 0) {
            redeliveries = redelivered ? 1 : 0;
        }
        long attempt = Math.max(1, base) + redeliveries;
        return (int) Math.min(MAX_ATTEMPT, attempt);
    }

    /** A non-negative whole number from a header of any type (number or text), or -1 when it is none. */
    private static long whole(Object value) {
        if (value instanceof Number number) {
            long whole = number.longValue();
            return whole >= 0 ? Math.min(whole, MAX_ATTEMPT) : -1;
        }
        if (value == null) {
            return -1;
        }
        String text = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
        try {
            long whole = Long.parseLong(text.trim());
            return whole >= 0 ? Math.min(whole, MAX_ATTEMPT) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
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
