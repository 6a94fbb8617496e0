package dev.rabbitworks.worker.messaging;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;

import dev.rabbitworks.broker.BrokerConnected;
import dev.rabbitworks.broker.BrokerConnection;
import dev.rabbitworks.broker.ConfirmChannel;
import dev.rabbitworks.broker.MessagingContract;
import dev.rabbitworks.broker.PublishingChannel;
import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.worker.config.WorkerConfig;

/**
 * Publishes task events to the topic exchange, persistent, with publisher confirms tracked by a
 * {@link ConfirmChannel}: the caller goes on at once, an event not confirmed within worker.event-timeout (or
 * refused, or lost with the connection) is logged. An event is informational: the task is done whatever becomes
 * of it, and holding the task's ack back for it would redo the work.
 * <p>
 * A {@link PublishingChannel} of the worker's one connection. While the broker blocks publishers (memory or disk alarm) events are skipped, not queued: a
 * publish would block the task's thread and so its ack.
 */
@ApplicationScoped
public class TaskEventPublisher {

    private static final Logger LOG = Logger.getLogger(TaskEventPublisher.class);
    private static final int PERSISTENT = 2;
    /** How late an overdue confirm may be noticed. */
    private static final Duration SWEEP = Duration.ofMillis(500);

    private final BrokerConnection broker;
    private final TopologyConfig topology;
    private final JsonFactory json;
    private final Duration timeout;

    private final PublishingChannel channel;

    public TaskEventPublisher(BrokerConnection broker, ObjectMapper json, WorkerConfig config,
            TopologyConfig topology) {
        this.broker = broker;
        this.topology = topology;
        this.json = json.getFactory();
        this.timeout = config.eventTimeout();
        // As the contract says (docs/messaging-contract.md): durable topic exchange, no arguments.
        this.channel = new PublishingChannel(broker, "task events", SWEEP,
                on -> MessagingContract.declareTopicExchange(on, topology));
    }

    void onConnected(@Observes @Priority(10) BrokerConnected event) {
        channel.start(event.connection());
    }

    /** Publishes the event now; its confirm is tracked in the background. Never throws, never waits for a confirm. */
    public void publish(TaskEvent event) {
        Optional<ConfirmChannel> current = channel.open();
        Optional<String> blocked = broker.blockedReason();
        if (current.isEmpty() || blocked.isPresent()) {
            LOG.warnf("task event %s for task %s not published: %s", event.routingKey(), event.taskId(),
                    blocked.map(reason -> "the broker blocks publishers (" + reason + ")")
                            .orElse("not connected to the broker"));
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
        // Completed on the connection's I/O thread: only a log line runs there.
        current.get().publish(new ConfirmChannel.Outgoing(topology.topicExchange(), event.routingKey(), properties, body),
                timeout, Runnable::run)
                .whenComplete((routed, failure) -> {
                    if (failure != null) {
                        LOG.warnf("task event %s for task %s not confirmed: %s; the task is settled anyway",
                                event.routingKey(), event.taskId(), failure.getMessage());
                    }
                });
    }

    /** Whether an event published now would go out: connected, channel open, broker not blocking. */
    boolean isPublishing() {
        return channel.open().isPresent() && broker.blockedReason().isEmpty();
    }

    /** Events published and not yet confirmed (for tests and diagnostics). */
    int unconfirmedCount() {
        return channel.open().map(ConfirmChannel::pendingCount).orElse(0);
    }
}
