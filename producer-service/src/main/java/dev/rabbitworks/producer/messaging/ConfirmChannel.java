package dev.rabbitworks.producer.messaging;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;

import dev.rabbitworks.producer.messaging.PublishFailure.Reason;

/**
 * One channel in confirm mode, publishing with the mandatory flag. Pending publishes are tracked by
 * publish sequence number; the broker's basic.return (sent before the ack) is matched by message id.
 * The lock is held only while a message is written, never while waiting for its confirm.
 */
final class ConfirmChannel {

    private final Channel channel;
    private final Executor completions;
    private final ReentrantLock publishLock = new ReentrantLock();
    /** Swapped for a fresh map when the channel shuts down: a recovered channel counts from 1 again. */
    private final AtomicReference<ConcurrentNavigableMap<Long, Pending>> pending =
            new AtomicReference<>(new ConcurrentSkipListMap<>());
    private final Map<String, Pending> byMessageId = new ConcurrentHashMap<>();

    private ConfirmChannel(Channel channel, Executor completions) {
        this.channel = channel;
        this.completions = completions;
    }

    /**
     * Opens a confirm channel. {@code onClose} hears every shutdown of it (connection loss included);
     * automatic recovery restores the channel with its listeners and confirm mode after a connection loss.
     */
    static ConfirmChannel open(Connection connection, Executor completions, Consumer<ShutdownSignalException> onClose)
            throws IOException {
        Channel channel = connection.createChannel();
        if (channel == null) {
            throw new IOException("the broker has no channel left for this connection");
        }
        channel.confirmSelect();
        ConfirmChannel confirmChannel = new ConfirmChannel(channel, completions);
        channel.addConfirmListener(confirmChannel::acked, confirmChannel::nacked);
        channel.addReturnListener(confirmChannel::returned);
        channel.addShutdownListener(cause -> {
            confirmChannel.failAll(cause);
            onClose.accept(cause);
        });
        return confirmChannel;
    }

    Channel channel() {
        return channel;
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    int pendingCount() {
        return pending.get().size();
    }

    /**
     * Publishes with mandatory=true. The future completes with true (routed), false (returned), or
     * fails with a {@link PublishFailure} (nack, channel closed, no confirm within {@code timeout}).
     */
    CompletableFuture<Boolean> publish(String exchange, String routingKey, AMQP.BasicProperties properties,
            byte[] body, Duration timeout) {
        Pending entry = new Pending(Objects.requireNonNull(properties.getMessageId(), "message id"));
        publishLock.lock();
        try {
            ConcurrentNavigableMap<Long, Pending> current = pending.get();
            long sequence = channel.getNextPublishSeqNo();
            current.put(sequence, entry);
            byMessageId.put(entry.messageId, entry);
            entry.forget = () -> {
                current.remove(sequence, entry);
                byMessageId.remove(entry.messageId, entry);
            };
            channel.basicPublish(exchange, routingKey, true, properties, body);
        } catch (IOException | AlreadyClosedException e) {
            entry.forgetNow();
            entry.future.completeExceptionally(new PublishFailure(Reason.UNAVAILABLE, "channel closed: " + e.getMessage()));
            return entry.future;
        } finally {
            publishLock.unlock();
        }
        entry.future.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return entry.future.handle((routed, failure) -> {
            entry.forgetNow();
            if (failure instanceof TimeoutException) {
                throw new PublishFailure(Reason.TIMEOUT, "no confirm from the broker within " + timeout);
            }
            if (failure != null) {
                throw failure instanceof PublishFailure p ? p : new PublishFailure(Reason.UNAVAILABLE, failure.toString());
            }
            return routed;
        });
    }

    // The callbacks below run on the connection's I/O thread: they only update the maps and hand the
    // completion (and whatever the HTTP layer chains to it) over to the worker pool.

    private void returned(Return returned) {
        Pending entry = byMessageId.get(String.valueOf(returned.getProperties().getMessageId()));
        if (entry != null) {
            entry.returned = true;
        }
    }

    private void acked(long deliveryTag, boolean multiple) {
        settle(deliveryTag, multiple, entry -> entry.future.complete(!entry.returned));
    }

    private void nacked(long deliveryTag, boolean multiple) {
        settle(deliveryTag, multiple, entry -> entry.future.completeExceptionally(
                new PublishFailure(Reason.NACKED, "the broker could not store the message (nack)")));
    }

    private void settle(long deliveryTag, boolean multiple, Consumer<Pending> outcome) {
        ConcurrentNavigableMap<Long, Pending> current = pending.get();
        if (multiple) {
            Map.Entry<Long, Pending> head;
            while ((head = current.firstEntry()) != null && head.getKey() <= deliveryTag) {
                if (current.remove(head.getKey(), head.getValue())) {
                    complete(head.getValue(), outcome);
                }
            }
        } else {
            Pending entry = current.remove(deliveryTag);
            if (entry != null) {
                complete(entry, outcome);
            }
        }
    }

    private void complete(Pending entry, Consumer<Pending> outcome) {
        byMessageId.remove(entry.messageId, entry);
        completions.execute(() -> outcome.accept(entry));
    }

    private void failAll(ShutdownSignalException cause) {
        ConcurrentNavigableMap<Long, Pending> old = pending.getAndSet(new ConcurrentSkipListMap<>());
        PublishFailure failure = new PublishFailure(Reason.UNAVAILABLE, "channel closed before the confirm: "
                + cause.getMessage());
        old.values().forEach(entry -> complete(entry, e -> e.future.completeExceptionally(failure)));
        old.clear();
    }

    private static final class Pending {
        final String messageId;
        final CompletableFuture<Boolean> future = new CompletableFuture<>();
        /** Set by basic.return, read at the ack; both arrive on the same I/O thread, return first. */
        volatile boolean returned;
        volatile Runnable forget = () -> {
        };

        Pending(String messageId) {
            this.messageId = messageId;
        }

        void forgetNow() {
            forget.run();
        }
    }
}
