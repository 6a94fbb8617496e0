package dev.rabbitworks.producer.messaging;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;

import dev.rabbitworks.producer.config.ProducerConfig;
import dev.rabbitworks.producer.messaging.ConfirmChannel.Outgoing;
import dev.rabbitworks.producer.messaging.PublishFailure.Reason;

/**
 * Publishes persistent messages and completes only when the broker confirmed them. Publishes are spread
 * round-robin over a small pool of confirm channels (producer.publisher-channels): no channel per message,
 * no lock held across a confirm wait, no thread waiting for a confirm.
 * <p>
 * Called from an HTTP request's event loop, a publish writes to the connection's socket there (a short,
 * non-waiting write) and its outcome completes back on that event loop, where the response is written: the
 * request never visits a worker thread.
 */
@ApplicationScoped
public class ConfirmedPublisher {

    private static final Logger LOG = Logger.getLogger(ConfirmedPublisher.class);
    static final int PERSISTENT = 2;
    /** How often overdue confirms are looked for: a timeout fires at most this late. */
    static final Duration TIMEOUT_SWEEP = Duration.ofMillis(100);

    private final ProducerConfig config;
    private final PublishMetrics metrics;
    private final BrokerConnection broker;
    private final AtomicReferenceArray<ConfirmChannel> channels;
    private final AtomicInteger next = new AtomicInteger();

    public ConfirmedPublisher(ProducerConfig config, PublishMetrics metrics, BrokerConnection broker) {
        this.config = config;
        this.metrics = metrics;
        this.broker = broker;
        this.channels = new AtomicReferenceArray<>(config.publisherChannels());
    }

    void onConnected(@Observes BrokerConnected event) {
        for (int slot = 0; slot < channels.length(); slot++) {
            open(slot, event.connection());
        }
        broker.every(TIMEOUT_SWEEP, this::expireOverdue);
    }

    /**
     * Publishes {@code body} persistently with a fresh message id and the mandatory flag. Completes after
     * the broker's confirm (routed=false when it returned the message); fails with {@link PublishFailure}.
     */
    public CompletionStage<PublishOutcome> publish(PublishTarget target, String exchange, String routingKey,
            String contentType, byte[] body) {
        Outgoing message = outgoing(exchange, routingKey, contentType, body);
        long start = System.nanoTime();
        ConfirmChannel channel = pick();
        PublishFailure refused = refusal(channel);
        CompletableFuture<Boolean> confirm = refused != null
                ? CompletableFuture.failedFuture(refused)
                : channel.publish(message, config.publishTimeout(), CallerContext.current());
        String messageId = message.properties().getMessageId();
        return metrics.track(target, confirm, start).thenApply(routed -> new PublishOutcome(messageId, routed));
    }

    /**
     * Publishes the bodies back to back on one channel, each persistent with its own message id and the
     * mandatory flag, and completes once every one of them is confirmed: one wait for the whole batch. The
     * outcomes are in the order of {@code bodies}; fails with the first {@link PublishFailure} when any of them
     * was not confirmed (the others may have been: the failure says how many).
     */
    public CompletionStage<List<PublishOutcome>> publishBatch(PublishTarget target, String exchange,
            String routingKey, List<Body> bodies) {
        List<Outgoing> messages = new ArrayList<>(bodies.size());
        for (Body body : bodies) {
            messages.add(outgoing(exchange, routingKey, body.contentType(), body.bytes()));
        }
        long start = System.nanoTime();
        ConfirmChannel channel = pick();
        PublishFailure refused = refusal(channel);
        if (refused != null) {
            messages.forEach(m -> metrics.track(target, CompletableFuture.failedFuture(refused), start));
            return CompletableFuture.failedFuture(refused);
        }
        List<CompletableFuture<Boolean>> confirms = channel.publishAll(messages, config.publishTimeout(),
                CallerContext.current());
        List<CompletableFuture<Boolean>> tracked = new ArrayList<>(confirms.size());
        for (CompletableFuture<Boolean> confirm : confirms) {
            tracked.add(metrics.track(target, confirm, start));
        }
        return CompletableFuture.allOf(tracked.toArray(CompletableFuture[]::new))
                .handle((ignored, anyFailure) -> {
                    List<PublishOutcome> outcomes = new ArrayList<>(tracked.size());
                    PublishFailure firstFailure = null;
                    int failed = 0;
                    for (int i = 0; i < tracked.size(); i++) {
                        CompletableFuture<Boolean> confirm = tracked.get(i);
                        if (confirm.isCompletedExceptionally()) {
                            failed++;
                            if (firstFailure == null) {
                                firstFailure = failureOf(confirm);
                            }
                        } else {
                            outcomes.add(new PublishOutcome(messages.get(i).properties().getMessageId(),
                                    confirm.join()));
                        }
                    }
                    if (firstFailure != null) {
                        throw new PublishFailure(firstFailure.reason(), failed + " of " + tracked.size()
                                + " messages not confirmed (" + firstFailure.getMessage() + "); the other "
                                + (tracked.size() - failed) + " were");
                    }
                    return outcomes;
                });
    }

    private static PublishFailure failureOf(CompletableFuture<Boolean> failed) {
        Throwable failure = failed.handle((routed, f) -> f).join();
        if (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure instanceof PublishFailure publishFailure ? publishFailure
                : new PublishFailure(Reason.UNAVAILABLE, String.valueOf(failure));
    }

    /** A message body with the media type it is published with (null: none). */
    public record Body(String contentType, byte[] bytes) {
    }

    /** Open publisher channels; zero while the broker is unreachable. */
    public int openChannels() {
        int open = 0;
        for (int slot = 0; slot < channels.length(); slot++) {
            ConfirmChannel channel = channels.get(slot);
            if (channel != null && channel.isOpen()) {
                open++;
            }
        }
        return open;
    }

    private static Outgoing outgoing(String exchange, String routingKey, String contentType, byte[] body) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .deliveryMode(PERSISTENT)
                .messageId(UUID.randomUUID().toString())
                .contentType(contentType)
                .timestamp(new Date())
                .build();
        return new Outgoing(exchange, routingKey, properties, body);
    }

    /** Why nothing can be published on {@code channel} now, or null when it can. */
    private PublishFailure refusal(ConfirmChannel channel) {
        if (channel == null) {
            return new PublishFailure(Reason.UNAVAILABLE, "not connected to the broker");
        }
        // Writing while the broker blocks the connection would hold this (event-loop) thread until it unblocks.
        return broker.blockedReason()
                .map(reason -> new PublishFailure(Reason.UNAVAILABLE, "the broker blocks publishing: " + reason))
                .orElse(null);
    }

    private void expireOverdue() {
        long now = System.nanoTime();
        for (int slot = 0; slot < channels.length(); slot++) {
            ConfirmChannel channel = channels.get(slot);
            if (channel != null) {
                channel.expire(now);
            }
        }
    }

    private ConfirmChannel pick() {
        int size = channels.length();
        int start = Math.floorMod(next.getAndIncrement(), size);
        for (int i = 0; i < size; i++) {
            ConfirmChannel channel = channels.get((start + i) % size);
            if (channel != null && channel.isOpen()) {
                return channel;
            }
        }
        return null;
    }

    private void open(int slot, Connection connection) {
        try {
            channels.set(slot, ConfirmChannel.open(connection, cause -> onClosed(slot, connection, cause)));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot open publisher channel %d (%s); retrying", slot, e.toString());
            broker.runLater(() -> open(slot, connection));
        }
    }

    private void onClosed(int slot, Connection connection, ShutdownSignalException cause) {
        ConfirmChannel closed = channels.get(slot);
        if (closed != null && closed.isDiscarded()) {
            LOG.warnf("publisher channel %d discarded (%s); opening another", slot, cause.getMessage());
            broker.runNow(() -> open(slot, connection));
            return;
        }
        if (cause.isHardError() || cause.isInitiatedByApplication()) {
            return; // connection loss (automatic recovery restores the channel) or our own shutdown
        }
        // A channel error (e.g. an exchange deleted at run time) is final for that channel: open another.
        LOG.warnf("publisher channel %d closed by the broker: %s; reopening", slot, cause.getMessage());
        if (ChannelErrors.isNotFound(cause)) {
            broker.redeclareTopology();
        }
        broker.runNow(() -> open(slot, connection));
    }
}
