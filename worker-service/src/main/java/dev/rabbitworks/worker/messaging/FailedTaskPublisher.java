package dev.rabbitworks.worker.messaging;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BasicProperties;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import dev.rabbitworks.worker.config.TopologyConfig;
import dev.rabbitworks.worker.config.WorkerConfig;
import dev.rabbitworks.worker.config.WorkerIdentity;
import dev.rabbitworks.worker.work.RetryPolicy;
import io.quarkus.runtime.StartupEvent;

/**
 * Sends a failed task on, with publisher confirms, before the worker acks it: to the retry queue of its attempt
 * (which gives it back to the work queue after the delay), or to the dead-letter exchange with the reason. The ack
 * comes only after the broker's confirm, so a task is never lost between the two; a crash in between gives a
 * duplicate (at-least-once).
 * <p>
 * Plain amqp-client on its own connection ({@code worker-service <instance> task-retries}): the connector can
 * declare no queue for an outgoing channel and has no mandatory flag (a publish to a retry queue someone deleted
 * would be confirmed and dropped). Calls block, so they run on a worker thread; one at a time. The connection is
 * opened at start in the background and again on demand after it was lost; the retry queues, the dead-letter
 * exchange and queue are declared on every new connection (docs/messaging-contract.md).
 */
@ApplicationScoped
public class FailedTaskPublisher {

    static final String CONNECTION_SUFFIX = "task-retries";
    static final String ATTEMPT_HEADER = TaskDeliveries.ATTEMPT_HEADER;
    static final String LAST_ERROR_HEADER = "x-last-error";
    static final String FAILURE_REASON_HEADER = "x-failure-reason";
    static final String ATTEMPTS_HEADER = "x-attempts";
    static final String FAILED_AT_HEADER = "x-failed-at";
    static final String FAILED_BY_HEADER = "x-failed-by";
    private static final int MAX_ERROR_LENGTH = 1000;
    private static final int PERSISTENT = 2;
    private static final Logger LOG = Logger.getLogger(FailedTaskPublisher.class);

    private final ConnectionFactory factory;
    private final TopologyConfig topology;
    private final RetryPolicy retryPolicy;
    private final Duration timeout;
    private final String connectionName;
    private final String worker;
    private final ExecutorService opener = Executors.newSingleThreadExecutor(
            DaemonThreads.named("worker-task-retries-connect"));

    private Connection connection;
    private Channel channel;
    /** The topology was declared on the current channel (declared again after a return or a new connection). */
    private boolean declared;
    /** Set by basic.return on the connection's thread; read after the confirm, which the broker sends after it. */
    private volatile boolean returned;
    private boolean closed;

    public FailedTaskPublisher(BrokerConnections broker, WorkerConfig config, TopologyConfig topology,
            RetryPolicy retryPolicy, WorkerIdentity identity) {
        this.topology = topology;
        this.retryPolicy = retryPolicy;
        this.timeout = config.eventTimeout();
        this.worker = identity.instanceName();
        this.connectionName = broker.connectionName(CONNECTION_SUFFIX);
        this.factory = broker.factory();
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        factory.setConnectionTimeout(timeoutMillis);
        factory.setHandshakeTimeout(timeoutMillis);
        // Reopened on demand by the next failed task: no background recovery to race with.
        factory.setAutomaticRecoveryEnabled(false);
    }

    /** The retry queue of a level: {@code <task-queue>.retry.<level>}. */
    public static String retryQueue(TopologyConfig topology, int level) {
        return topology.taskQueue() + ".retry." + level;
    }

    /** A retry queue's arguments: expired tasks go back to the work queue through the default exchange. */
    public static Map<String, Object> retryQueueArguments(TopologyConfig topology) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("x-dead-letter-exchange", "");
        arguments.put("x-dead-letter-routing-key", topology.taskQueue());
        return arguments;
    }

    void onStart(@Observes StartupEvent event) {
        // Declares the retry queues early (operators see them at once); failures are retried on demand.
        opener.execute(() -> {
            try {
                openIfNeeded();
            } catch (IOException | TimeoutException | RuntimeException e) {
                LOG.warnf("cannot connect for retries yet (%s); trying again with the first failed task", e.toString());
            }
        });
    }

    /**
     * Publishes the task to the retry queue of {@code level}, to expire back into the work queue after
     * {@code delay}, marked with the number of its next attempt and this attempt's error. Returns once confirmed.
     */
    public synchronized void retry(BasicProperties original, byte[] body, int nextAttempt, int level, Duration delay,
            String error) throws IOException, TimeoutException, InterruptedException {
        Map<String, Object> headers = carriedHeaders(original);
        headers.put(ATTEMPT_HEADER, nextAttempt);
        headers.put(LAST_ERROR_HEADER, shorten(error));
        AMQP.BasicProperties properties = carriedProperties(original, headers)
                .expiration(Long.toString(Math.max(0, delay.toMillis())))
                .build();
        publish("", retryQueue(topology, level), properties, body);
    }

    /** Publishes the task to the dead-letter exchange with why and when it failed. Returns once confirmed. */
    public synchronized void deadLetter(BasicProperties original, byte[] body, int attempts, String reason)
            throws IOException, TimeoutException, InterruptedException {
        Map<String, Object> headers = carriedHeaders(original);
        headers.put(FAILURE_REASON_HEADER, shorten(reason));
        headers.put(ATTEMPTS_HEADER, attempts);
        headers.put(FAILED_AT_HEADER, Instant.now().toString());
        headers.put(FAILED_BY_HEADER, worker);
        publish(topology.deadLetterExchange(), topology.deadLetterQueue(), carriedProperties(original, headers).build(),
                body);
    }

    private void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body)
            throws IOException, TimeoutException, InterruptedException {
        if (closed) {
            throw new IOException("the worker is stopping");
        }
        Channel open = openIfNeeded();
        returned = false;
        try {
            open.basicPublish(exchange, routingKey, true, properties, body);
            open.waitForConfirmsOrDie(Math.max(1, timeout.toMillis()));
        } catch (IOException | TimeoutException | RuntimeException e) {
            dropConnection();
            throw e;
        }
        // basic.return comes before the ack on the same channel: the flag is set by now.
        if (returned) {
            declared = false;
            throw new IOException("no queue took the message at '" + exchange + "' with key '" + routingKey + "'");
        }
    }

    private synchronized Channel openIfNeeded() throws IOException, TimeoutException {
        if (channel != null && channel.isOpen() && declared) {
            return channel;
        }
        if (connection == null || !connection.isOpen()) {
            connection = factory.newConnection(connectionName);
            channel = null;
        }
        if (channel == null || !channel.isOpen()) {
            Channel opened = connection.createChannel();
            opened.confirmSelect();
            opened.addReturnListener(returnedMessage -> returned = true);
            channel = opened;
        }
        declare(channel);
        declared = true;
        return channel;
    }

    /** Exactly as in docs/messaging-contract.md (the producer declares the dead letters the same way). */
    private void declare(Channel on) throws IOException {
        on.exchangeDeclare(topology.deadLetterExchange(), BuiltinExchangeType.DIRECT, true, false, null);
        on.queueDeclare(topology.deadLetterQueue(), true, false, false, null);
        on.queueBind(topology.deadLetterQueue(), topology.deadLetterExchange(), topology.deadLetterQueue());
        for (int level = 1; level <= retryPolicy.retryLevels(); level++) {
            on.queueDeclare(retryQueue(topology, level), true, false, false, retryQueueArguments(topology));
        }
    }

    private void dropConnection() {
        declared = false;
        Connection current = connection;
        connection = null;
        channel = null;
        if (current != null) {
            current.abort(1_000);
        }
    }

    @PreDestroy
    synchronized void close() {
        closed = true;
        opener.shutdownNow();
        dropConnection();
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
