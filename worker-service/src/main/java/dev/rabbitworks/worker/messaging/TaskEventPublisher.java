package dev.rabbitworks.worker.messaging;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

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
import dev.rabbitworks.broker.DaemonThreads;
import dev.rabbitworks.broker.MessagingContract;
import dev.rabbitworks.broker.PublishFailure;
import dev.rabbitworks.broker.PublishingChannel;
import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.worker.config.WorkerConfig;
import io.smallrye.mutiny.Uni;

/**
 * Publishes task events to the topic exchange, persistent, mandatory, on a {@link ConfirmChannel} of the worker's
 * one connection, in two ways:
 * <ul>
 * <li>{@link #publish}: best effort. The caller goes on at once; an event not confirmed within worker.event-timeout
 * (or refused, or lost with the connection) is logged. Skipped while the {@link PublishGate} is closed (a broker
 * alarm): a publish then would stop the broker reading the connection, acks included.</li>
 * <li>{@link #publishConfirmed}: for a task's final event, before its ack. Completes once the broker confirmed it
 * (returned counts: the broker has it and no queue wants it); fails when it is not confirmed within
 * worker.event-timeout. Within that time a publish the broker refused (nack) or lost (channel closed) is sent again,
 * with the same message id, so a channel that reopens at once costs no rerun of the task. While the broker blocks
 * publishers there is no deadline: it reads nothing from the connection then (a requeue would wait as well), so the
 * event is sent again once it unblocks, with a fresh one.</li>
 * </ul>
 * Neither blocks: confirms arrive on the connection's I/O thread, which hands what follows a final event's confirm
 * (the ack, the log line) to one settling thread and goes on reading; the consumer's dispatch thread is free for the
 * next delivery the whole time.
 */
@ApplicationScoped
public class TaskEventPublisher {

    private static final Logger LOG = Logger.getLogger(TaskEventPublisher.class);
    private static final int PERSISTENT = 2;
    /** How late an overdue confirm may be noticed. */
    private static final Duration SWEEP = Duration.ofMillis(500);
    /** Pauses before a refused final event is sent again: doubled each time, up to the last. */
    private static final long FIRST_PAUSE_MILLIS = 50;
    private static final long LAST_PAUSE_MILLIS = 1_000;
    /** A best-effort event's outcome is only logged: on the thread that completes it (the I/O thread). */
    private static final Executor SAME_THREAD = Runnable::run;
    /**
     * What follows a final event's confirm (the ack, the log line) runs here, one task after the other: the broker
     * confirms many at once, and the connection's I/O thread must go on reading deliveries and confirms meanwhile.
     */
    private final Executor settling = Executors.newSingleThreadExecutor(DaemonThreads.named("task-settlement"));

    private final TopologyConfig topology;
    private final PublishGate gate;
    private final JsonFactory json;
    private final Duration timeout;

    private final PublishingChannel channel;

    public TaskEventPublisher(BrokerConnection broker, PublishGate gate, ObjectMapper json, WorkerConfig config,
            TopologyConfig topology) {
        this.topology = topology;
        this.gate = gate;
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
        if (current.isEmpty() || !gate.isOpen()) {
            LOG.warnf("task event %s for task %s not published: %s", event.routingKey(), event.taskId(),
                    gate.blockedReason().map(reason -> "the broker blocks publishers (" + reason + ")")
                            .orElse("not connected to the broker"));
            return;
        }
        ConfirmChannel.Outgoing message;
        try {
            message = outgoing(event);
        } catch (UncheckedIOException e) {
            LOG.errorf(e, "task event for task %s not published: cannot serialize it", event.taskId());
            return;
        }
        current.get().publish(message, timeout, SAME_THREAD).whenComplete((routed, failure) -> {
            if (failure != null) {
                LOG.warnf("task event %s for task %s not confirmed: %s", event.routingKey(), event.taskId(),
                        failure.getMessage());
            }
        });
    }

    /**
     * Publishes the event and completes once the broker confirmed it, or fails (a {@link PublishFailure}) when it
     * could not be confirmed within worker.event-timeout; never waits longer.
     */
    public Uni<Void> publishConfirmed(TaskEvent event) {
        ConfirmChannel.Outgoing message;
        try {
            message = outgoing(event);
        } catch (UncheckedIOException e) {
            return Uni.createFrom().failure(e);
        }
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        new ConfirmedPublish(message, System.nanoTime() + timeout.toNanos(), confirmed).attempt();
        return Uni.createFrom().completionStage(confirmed);
    }

    /** Whether an event published now would go out: connected, channel open, broker not blocking. */
    boolean isPublishing() {
        return channel.open().isPresent() && gate.isOpen();
    }

    /** Events published and not yet confirmed (for tests and diagnostics). */
    int unconfirmedCount() {
        return channel.open().map(ConfirmChannel::pendingCount).orElse(0);
    }

    private ConfirmChannel.Outgoing outgoing(TaskEvent event) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(PERSISTENT)
                .messageId(UUID.randomUUID().toString())
                .build();
        return new ConfirmChannel.Outgoing(topology.topicExchange(), event.routingKey(), properties,
                event.toJson(json));
    }

    /** One final event's publishes until one is confirmed or its deadline passes. */
    private final class ConfirmedPublish {
        private final ConfirmChannel.Outgoing message;
        private final CompletableFuture<Void> confirmed;
        /** Both reset once a broker alarm is over; one attempt at a time, so never written concurrently. */
        private long deadline;
        private long pauseMillis = FIRST_PAUSE_MILLIS;

        ConfirmedPublish(ConfirmChannel.Outgoing message, long deadline, CompletableFuture<Void> confirmed) {
            this.message = message;
            this.deadline = deadline;
            this.confirmed = confirmed;
        }

        void attempt() {
            Optional<ConfirmChannel> current = channel.open();
            if (current.isEmpty() || !gate.isOpen()) {
                again(new PublishFailure(PublishFailure.Reason.UNAVAILABLE, gate.blockedReason()
                        .map(reason -> "the broker blocks publishers (" + reason + ")")
                        .orElse("no open channel for task events")));
                return;
            }
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            current.get().publish(message, left, settling).whenComplete((routed, failure) -> {
                if (failure == null) {
                    confirmed.complete(null);
                } else {
                    again(failure instanceof PublishFailure refused ? refused
                            : new PublishFailure(PublishFailure.Reason.UNAVAILABLE, failure.toString()));
                }
            });
        }

        /** Sends it again after a pause if the deadline allows, else fails with the last reason. */
        private void again(PublishFailure failure) {
            if (!gate.isOpen()) {
                // Blocked: our publish (if it went out) is read and confirmed only once the alarm clears.
                gate.untilOpen().thenRun(() -> {
                    deadline = System.nanoTime() + timeout.toNanos();
                    pauseMillis = FIRST_PAUSE_MILLIS;
                    attempt();
                });
                return;
            }
            long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (failure.reason() == PublishFailure.Reason.REFUSED || leftMillis <= pauseMillis) {
                confirmed.completeExceptionally(failure);
                return;
            }
            long pause = pauseMillis;
            pauseMillis = Math.min(LAST_PAUSE_MILLIS, pauseMillis * 2);
            CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS).execute(this::attempt);
        }
    }
}
