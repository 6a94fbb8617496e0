package dev.rabbitworks.worker.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;

import dev.rabbitworks.worker.config.TopologyConfig;
import dev.rabbitworks.worker.config.WorkerConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Publishes task events to the topic exchange, persistent, with publisher confirms tracked on their own: the
 * caller goes on at once, an event not confirmed within worker.event-timeout (or refused, or lost with the
 * connection) is logged. An event is informational: the task is done whatever becomes of it, and holding the
 * task's ack back for it would redo the work.
 * <p>
 * Plain amqp-client on its own connection, {@code worker-service <instance> task-events}, opened in the
 * background at start (retried until the broker answers), then kept by the client's automatic recovery, which
 * declares the exchange again. While the broker blocks publishers (memory or disk alarm) events are skipped, not
 * queued: a publish would block the task's thread and so its ack.
 */
@ApplicationScoped
public class TaskEventPublisher {

    static final String CONNECTION_SUFFIX = "task-events";
    private static final Logger LOG = Logger.getLogger(TaskEventPublisher.class);
    private static final long RETRY_SECONDS = BrokerConnections.RETRY_SECONDS;
    private static final int PERSISTENT = 2;

    private final JsonFactory json;
    private final String exchange;
    private final long timeoutNanos;
    private final ConnectionFactory factory;
    private final String connectionName;
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("worker-task-events"));
    /** Published, not yet confirmed, by the channel's publish sequence number. */
    private final ConcurrentNavigableMap<Long, Unconfirmed> unconfirmed = new ConcurrentSkipListMap<>();

    private volatile Connection connection;
    private volatile Channel channel;
    private volatile boolean blocked;
    private volatile boolean closed;
    private int failedAttempts;

    private record Unconfirmed(TaskEvent event, long deadline) {
    }

    public TaskEventPublisher(BrokerConnections broker, ObjectMapper json, WorkerConfig config,
            TopologyConfig topology) {
        this.json = json.getFactory();
        this.exchange = topology.topicExchange();
        Duration timeout = config.eventTimeout();
        this.timeoutNanos = timeout.toNanos();
        this.connectionName = broker.connectionName(CONNECTION_SUFFIX);
        this.factory = broker.recoveringFactory();
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        factory.setConnectionTimeout(timeoutMillis);
    }

    void onStart(@Observes StartupEvent event) {
        schedule(this::connect, 0);
        background.scheduleWithFixedDelay(this::expire, 1, 1, TimeUnit.SECONDS);
    }

    /** Publishes the event now; its confirm is tracked in the background. Never throws, never waits for a confirm. */
    public void publish(TaskEvent event) {
        Channel current = channel;
        if (current == null || !current.isOpen() || blocked) {
            LOG.warnf("task event %s for task %s not published: %s", event.routingKey(), event.taskId(),
                    blocked ? "the broker blocks publishers (resource alarm)" : "not connected to the broker");
            return;
        }
        byte[] body;
        try {
            body = event.toJson(json);
        } catch (UncheckedIOException e) {
            LOG.errorf(e, "task event for task %s not published: cannot serialize it", event.taskId());
            return;
        }
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(PERSISTENT)
                .messageId(UUID.randomUUID().toString())
                .build();
        try {
            // Sequence number and publish together: confirms refer to publishes in channel order.
            synchronized (current) {
                long sequence = current.getNextPublishSeqNo();
                unconfirmed.put(sequence, new Unconfirmed(event, System.nanoTime() + timeoutNanos));
                try {
                    current.basicPublish(exchange, event.routingKey(), properties, body);
                } catch (IOException | RuntimeException e) {
                    unconfirmed.remove(sequence);
                    throw e;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("task event %s for task %s not published: %s", event.routingKey(), event.taskId(), e.toString());
        }
    }

    /** Whether an event published now would go out: connected, channel open, broker not blocking. */
    boolean isPublishing() {
        Channel current = channel;
        return current != null && current.isOpen() && !blocked;
    }

    /** Events published and not yet confirmed (for tests and diagnostics). */
    int unconfirmedCount() {
        return unconfirmed.size();
    }

    private void connect() {
        if (closed) {
            return;
        }
        Connection opened = null;
        try {
            opened = factory.newConnection(connectionName);
            opened.addBlockedListener(reason -> {
                blocked = true;
                LOG.warnf("the broker blocks publishers (%s): task events are skipped until it unblocks", reason);
            }, () -> {
                blocked = false;
                LOG.info("the broker unblocked publishers: task events are published again");
            });
            ((Recoverable) opened).addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecoveryStarted(Recoverable recoverable) {
                    LOG.warn("task events connection lost; recovering (events are skipped meanwhile)");
                }

                @Override
                public void handleRecovery(Recoverable recoverable) {
                    LOG.info("task events connection recovered");
                }
            });
            connection = opened;
            channel = openChannel(opened);
            failedAttempts = 0;
            LOG.infof("publishing task events to %s as %s", exchange, connectionName);
        } catch (IOException | TimeoutException | RuntimeException e) {
            if (failedAttempts++ == 0) {
                LOG.warnf("cannot publish task events yet (%s); retrying every %d s", e.toString(), RETRY_SECONDS);
            }
            if (opened != null) {
                opened.abort(1_000);
            }
            connection = null;
            schedule(this::connect, RETRY_SECONDS);
        }
    }

    private Channel openChannel(Connection on) throws IOException {
        Channel opened = on.createChannel();
        // As the contract says (docs/messaging-contract.md): durable topic exchange, no arguments.
        opened.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true, false, null);
        opened.confirmSelect();
        opened.addConfirmListener(this::confirmed, this::refused);
        opened.addShutdownListener(this::channelClosed);
        return opened;
    }

    /**
     * The channel closed: what was not confirmed on it never will be. A connection failure is the client's
     * recovery to mend; a channel the broker closed alone (the exchange was deleted) is opened again here.
     */
    private void channelClosed(ShutdownSignalException cause) {
        forget(unconfirmed, "the channel closed (" + cause.getMessage() + ")");
        if (!closed && !cause.isHardError() && !cause.isInitiatedByApplication()) {
            schedule(this::reopenChannel, RETRY_SECONDS);
        }
    }

    private void reopenChannel() {
        Connection current = connection;
        if (closed || current == null || !current.isOpen() || (channel != null && channel.isOpen())) {
            return;
        }
        try {
            channel = openChannel(current);
            LOG.info("task events channel opened again");
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot open the task events channel again yet (%s)", e.toString());
            schedule(this::reopenChannel, RETRY_SECONDS);
        }
    }

    private void confirmed(long sequence, boolean multiple) {
        if (multiple) {
            unconfirmed.headMap(sequence, true).clear();
        } else {
            unconfirmed.remove(sequence);
        }
    }

    private void refused(long sequence, boolean multiple) {
        forget(multiple ? unconfirmed.headMap(sequence, true) : unconfirmed.subMap(sequence, true, sequence, true),
                "refused by the broker (nack)");
    }

    /** Gives up on events whose confirm is overdue. */
    private void expire() {
        long now = System.nanoTime();
        for (Map.Entry<Long, Unconfirmed> entry : unconfirmed.entrySet()) {
            if (now - entry.getValue().deadline() < 0) {
                return; // in publish order: the rest are younger
            }
            if (unconfirmed.remove(entry.getKey(), entry.getValue())) {
                logUnconfirmed(entry.getValue().event(), "no confirm within worker.event-timeout");
            }
        }
    }

    private static void forget(Map<Long, Unconfirmed> events, String why) {
        for (Unconfirmed each : events.values()) {
            logUnconfirmed(each.event(), why);
        }
        events.clear();
    }

    private static void logUnconfirmed(TaskEvent event, String why) {
        LOG.warnf("task event %s for task %s not confirmed: %s; the task is settled anyway", event.routingKey(),
                event.taskId(), why);
    }

    private void schedule(Runnable task, long delaySeconds) {
        try {
            background.schedule(task, delaySeconds, TimeUnit.SECONDS);
        } catch (RejectedExecutionException stopping) {
            // shutting down
        }
    }

    @PreDestroy
    void close() {
        closed = true;
        background.shutdownNow();
        Connection current = connection;
        if (current == null) {
            return;
        }
        try {
            // The broker handles what was published before it answers close-ok: the last tasks' events get out.
            current.close(2_000);
        } catch (IOException | RuntimeException e) {
            current.abort(1_000);
        }
    }
}
