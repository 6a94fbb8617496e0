package dev.rabbitworks.producer.messaging;

import java.io.IOException;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;

import dev.rabbitworks.producer.config.ProducerConfig;
import dev.rabbitworks.producer.messaging.PublishFailure.Reason;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Publishes persistent messages and completes only when the broker confirmed them. Publishes are spread
 * round-robin over a small pool of confirm channels (producer.publisher-channels): no channel per message,
 * no lock held across a confirm wait.
 */
@ApplicationScoped
public class ConfirmedPublisher {

    private static final Logger LOG = Logger.getLogger(ConfirmedPublisher.class);
    static final int PERSISTENT = 2;

    private final ProducerConfig config;
    private final PublishMetrics metrics;
    private final BrokerConnection broker;
    private final AtomicReferenceArray<ConfirmChannel> channels;
    private final AtomicInteger next = new AtomicInteger();
    /** Confirms arrive on the connection's I/O thread; what follows them runs on the worker pool. */
    private final Executor completions = Infrastructure.getDefaultWorkerPool();

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
    }

    /**
     * Publishes {@code body} persistently with a fresh message id and the mandatory flag. Completes after
     * the broker's confirm (routed=false when it returned the message); fails with {@link PublishFailure}.
     */
    public CompletionStage<PublishOutcome> publish(PublishTarget target, String exchange, String routingKey,
            String contentType, byte[] body) {
        String messageId = UUID.randomUUID().toString();
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .deliveryMode(PERSISTENT)
                .messageId(messageId)
                .contentType(contentType)
                .timestamp(new Date())
                .build();
        long start = System.nanoTime();
        ConfirmChannel channel = pick();
        CompletableFuture<Boolean> confirm = channel == null
                ? CompletableFuture.failedFuture(new PublishFailure(Reason.UNAVAILABLE, "not connected to the broker"))
                : channel.publish(exchange, routingKey, properties, body, config.publishTimeout());
        return metrics.track(target, confirm, start).thenApply(routed -> new PublishOutcome(messageId, routed));
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
            channels.set(slot, ConfirmChannel.open(connection, completions, cause -> onClosed(slot, connection, cause)));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot open publisher channel %d (%s); retrying", slot, e.toString());
            broker.runLater(() -> open(slot, connection));
        }
    }

    private void onClosed(int slot, Connection connection, ShutdownSignalException cause) {
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
