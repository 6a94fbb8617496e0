package dev.rabbitworks.worker.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.rabbitmq.client.AMQP;

import dev.rabbitworks.broker.Delivery;
import dev.rabbitworks.worker.work.TaskDelivery;

/** Reads a task delivery as the broker sent it, whatever the publisher's content type: the raw body. */
final class TaskDeliveries {

    /** Set by quorum queues on redeliveries: how many times the task was returned to the queue. */
    static final String DELIVERY_COUNT_HEADER = "x-delivery-count";
    /** Set by the worker on a task it sends to a retry queue: the number of the attempt the retry will be. */
    static final String ATTEMPT_HEADER = "x-attempt";
    /** Attempt numbers beyond this are taken as this (a header can say anything). */
    static final int MAX_ATTEMPT = 1_000_000;

    private TaskDeliveries() {
    }

    static TaskDelivery read(Delivery received) {
        AMQP.BasicProperties properties = received.properties();
        return new TaskDelivery(properties.getMessageId(), attempt(properties.getHeaders(), received.redelivered()),
                received.body());
    }

    /**
     * The attempt this delivery is: the attempt the worker wrote on a retried task ({@code x-attempt}, else 1), plus
     * the redeliveries of this copy by the queue ({@code x-delivery-count}, else 1 if the redelivered flag is set):
     * a task returned by a worker that died counts as an attempt.
     */
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
}
