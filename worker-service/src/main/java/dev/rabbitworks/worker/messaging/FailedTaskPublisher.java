package dev.rabbitworks.worker.messaging;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BasicProperties;

import dev.rabbitworks.broker.BrokerConnected;
import dev.rabbitworks.broker.BrokerConnection;
import dev.rabbitworks.broker.ConfirmChannel;
import dev.rabbitworks.broker.MessagingContract;
import dev.rabbitworks.broker.PublishingChannel;
import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.worker.config.WorkerConfig;
import dev.rabbitworks.worker.config.WorkerIdentity;
import dev.rabbitworks.worker.work.RetryPolicy;

/**
 * Sends a failed task on, with publisher confirms, before the worker acks it: to the retry queue of its attempt
 * (which gives it back to the work queue after the delay), or to the dead-letter exchange with the reason. The ack
 * comes only after the broker's confirm, so a task is never lost between the two; a crash in between gives a
 * duplicate (at-least-once).
 * <p>
 * A {@link PublishingChannel} of the worker's one connection (mandatory flag: a publish to a retry queue someone
 * deleted comes back instead of being dropped); the retry queues and the dead letters are declared on it
 * (docs/messaging-contract.md) and again after a return. Calls block until the confirm, so they run on a
 * worker thread.
 */
@ApplicationScoped
public class FailedTaskPublisher {

    static final String ATTEMPT_HEADER = TaskDeliveries.ATTEMPT_HEADER;
    static final String LAST_ERROR_HEADER = "x-last-error";
    static final String FAILURE_REASON_HEADER = "x-failure-reason";
    static final String ATTEMPTS_HEADER = "x-attempts";
    static final String FAILED_AT_HEADER = "x-failed-at";
    static final String FAILED_BY_HEADER = "x-failed-by";
    private static final int MAX_ERROR_LENGTH = 1000;
    private static final int PERSISTENT = 2;
    /** How late an overdue confirm may be noticed. */
    private static final Duration SWEEP = Duration.ofMillis(500);
    /** Beyond the channel's own timeout, in case its sweep stopped: a blocked worker thread is never unbounded. */
    private static final Duration WAIT_MARGIN = Duration.ofSeconds(1);

    private final TopologyConfig topology;
    private final Duration timeout;
    private final String worker;
    private final PublishingChannel channel;

    public FailedTaskPublisher(BrokerConnection broker, WorkerConfig config, TopologyConfig topology,
            RetryPolicy retryPolicy, WorkerIdentity identity) {
        this.topology = topology;
        this.timeout = config.eventTimeout();
        this.worker = identity.instanceName();
        // Exactly as in docs/messaging-contract.md (the producer declares the dead letters the same way).
        this.channel = new PublishingChannel(broker, "retries and dead letters", SWEEP, on -> {
            MessagingContract.declareWorkQueue(on, topology);
            MessagingContract.declareRetryQueues(on, topology, retryPolicy.retryLevels());
        });
    }

    /** Before the consumer starts (it observes the same event later): the retry queues exist before a task fails. */
    void onConnected(@Observes @Priority(10) BrokerConnected event) {
        channel.start(event.connection());
    }

    /**
     * Publishes the task to the retry queue of {@code level}, to expire back into the work queue after
     * {@code delay}, marked with the number of its next attempt and this attempt's error. Returns once confirmed.
     */
    public void retry(BasicProperties original, byte[] body, int nextAttempt, int level, Duration delay, String error)
            throws IOException, InterruptedException {
        Map<String, Object> headers = carriedHeaders(original);
        headers.put(ATTEMPT_HEADER, nextAttempt);
        headers.put(LAST_ERROR_HEADER, shorten(error));
        AMQP.BasicProperties properties = carriedProperties(original, headers)
                .expiration(Long.toString(Math.max(0, delay.toMillis())))
                .build();
        publish("", MessagingContract.retryQueue(topology, level), properties, body);
    }

    /** Publishes the task to the dead-letter exchange with why and when it failed. Returns once confirmed. */
    public void deadLetter(BasicProperties original, byte[] body, int attempts, String reason)
            throws IOException, InterruptedException {
        Map<String, Object> headers = carriedHeaders(original);
        headers.put(FAILURE_REASON_HEADER, shorten(reason));
        headers.put(ATTEMPTS_HEADER, attempts);
        headers.put(FAILED_AT_HEADER, Instant.now().toString());
        headers.put(FAILED_BY_HEADER, worker);
        publish(topology.deadLetterExchange(), topology.deadLetterQueue(), carriedProperties(original, headers).build(),
                body);
    }

    private void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body)
            throws IOException, InterruptedException {
        ConfirmChannel current = channel.open().orElseThrow(() -> new IOException("not connected to the broker"));
        boolean routed;
        try {
            routed = current.publish(new ConfirmChannel.Outgoing(exchange, routingKey, properties, body), timeout,
                    Runnable::run).get(timeout.plus(WAIT_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause() != null ? e.getCause().getMessage() : e.toString(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no confirm from the broker within " + timeout, e);
        }
        if (!routed) {
            // Someone deleted the queue: declare again for the next one; this task is requeued by the caller.
            channel.declareAgain();
            throw new IOException("no queue took the message at '" + exchange + "' with key '" + routingKey + "'");
        }
    }

    /** The task's own headers, without the count its last queue kept (the next queue starts its own). */
    private static Map<String, Object> carriedHeaders(BasicProperties original) {
        Map<String, Object> headers = new HashMap<>();
        if (original.getHeaders() != null) {
            headers.putAll(original.getHeaders());
        }
        headers.remove(TaskDeliveries.DELIVERY_COUNT_HEADER);
        return headers;
    }

    /**
     * The task's properties, persistent. Not carried: user_id (the broker refuses one that is not the publisher's
     * user) and expiration (set per destination).
     */
    private static AMQP.BasicProperties.Builder carriedProperties(BasicProperties original,
            Map<String, Object> headers) {
        return new AMQP.BasicProperties.Builder()
                .contentType(original.getContentType())
                .contentEncoding(original.getContentEncoding())
                .headers(headers)
                .deliveryMode(PERSISTENT)
                .priority(original.getPriority())
                .correlationId(original.getCorrelationId())
                .replyTo(original.getReplyTo())
                .messageId(original.getMessageId())
                .timestamp(original.getTimestamp())
                .type(original.getType())
                .appId(original.getAppId());
    }

    private static String shorten(String text) {
        String value = text == null ? "unknown" : text;
        return value.length() <= MAX_ERROR_LENGTH ? value : value.substring(0, MAX_ERROR_LENGTH) + "...";
    }
}
