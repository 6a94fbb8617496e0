package dev.rabbitworks.producer.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;

import dev.rabbitworks.broker.BrokerConnection;
import dev.rabbitworks.broker.BrokerConnected;
import dev.rabbitworks.broker.ConfirmChannel;
import dev.rabbitworks.broker.PublishingChannel;
import dev.rabbitworks.broker.PublishFailure;
import dev.rabbitworks.producer.config.ProducerConfig;
import dev.rabbitworks.broker.ConfirmChannel.Outgoing;
import dev.rabbitworks.broker.PublishFailure.Reason;

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
    private final List<PublishingChannel> channels = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    public ConfirmedPublisher(ProducerConfig config, PublishMetrics metrics, BrokerConnection broker,
            TopologyDeclarer topology) {
        this.config = config;
        this.metrics = metrics;
        this.broker = broker;
        // Each channel declares what the producer publishes to when it opens: a channel the broker closed because
        // an exchange was deleted at run time comes back with the exchange declared again.
        for (int slot = 0; slot < config.publisherChannels(); slot++) {
            channels.add(new PublishingChannel(broker, "publishing " + slot, TIMEOUT_SWEEP, topology::declare));
        }
    }

    void onConnected(@Observes BrokerConnected event) {
        channels.forEach(channel -> channel.start(event.connection()));
    }

    /**
     * Publishes {@code body} persistently with a fresh message id and the mandatory flag. Completes after
     * the broker's confirm (routed=false when it returned the message); fails with {@link PublishFailure}.
     */
    public CompletionStage<PublishOutcome> publish(PublishTarget target, String exchange, String routingKey,
            String contentType, byte[] body) {
        return publish(target, exchange, routingKey, contentType, null, body);
    }

    /** As {@link #publish(PublishTarget, String, String, String, byte[])}, with these headers (null: none). */
    public CompletionStage<PublishOutcome> publish(PublishTarget target, String exchange, String routingKey,
            String contentType, Map<String, Object> headers, byte[] body) {
        Outgoing message = outgoing(exchange, routingKey, contentType, headers, body);
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
            messages.add(outgoing(exchange, routingKey, body.contentType(), null, body.bytes()));
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
        return (int) channels.stream().filter(channel -> channel.open().isPresent()).count();
    }

    private static Outgoing outgoing(String exchange, String routingKey, String contentType,
            Map<String, Object> headers, byte[] body) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .deliveryMode(PERSISTENT)
                .headers(headers)
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

    private ConfirmChannel pick() {
        int size = channels.size();
        int start = Math.floorMod(next.getAndIncrement(), size);
        for (int i = 0; i < size; i++) {
            Optional<ConfirmChannel> channel = channels.get((start + i) % size).open();
            if (channel.isPresent()) {
                return channel.get();
            }
        }
        return null;
    }
}
