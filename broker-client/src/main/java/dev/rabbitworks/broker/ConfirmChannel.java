package dev.rabbitworks.broker;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;

import dev.rabbitworks.broker.PublishFailure.Reason;

/**
 * One channel in confirm mode, publishing with the mandatory flag. Pending publishes are tracked by
 * publish sequence number; the broker's basic.return (sent before the ack) is matched by message id, or, for a
 * message without one (tasks from clients that set none), to every pending message without one sent to the same
 * exchange and routing key: a routed message may then be reported returned, never the other way round.
 * The lock is held only while messages are written, never while waiting for their confirms.
 * <p>
 * Confirms arrive on the connection's I/O thread, often several per frame (multiple=true): each pending
 * publish completes on the executor its publisher gave (e.g. the HTTP request's event loop), so nothing but
 * map updates runs on the I/O thread. Timeouts are found by {@link #expire(long)}, which the owner calls
 * periodically, rather than by a timer per message.
 * <p>
 * Written here rather than taken from the SmallRye connector: the connector has no mandatory flag, and on a
 * reconnect it drops pending confirms without completing them (docs/decisions.md).
 */
public final class ConfirmChannel {

    /** A message to publish: where to, its properties (with a message id) and its body. */
    public record Outgoing(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
    }

    private final Channel channel;
    private final ReentrantLock publishLock = new ReentrantLock();
    /** Swapped for a fresh map when the channel shuts down: a recovered channel counts from 1 again. */
    private final AtomicReference<ConcurrentNavigableMap<Long, Pending>> pending =
            new AtomicReference<>(new ConcurrentSkipListMap<>());
    private final Map<String, Pending> byMessageId = new ConcurrentHashMap<>();
    private volatile boolean discarded;

    private ConfirmChannel(Channel channel) {
        this.channel = channel;
    }

    /**
     * Opens a confirm channel. {@code onClose} hears every shutdown of it (connection loss included);
     * automatic recovery restores the channel with its listeners and confirm mode after a connection loss.
     */
    public static ConfirmChannel open(Connection connection, Consumer<ShutdownSignalException> onClose) throws IOException {
        Channel channel = connection.createChannel();
        if (channel == null) {
            throw new IOException("the broker has no channel left for this connection");
        }
        channel.confirmSelect();
        ConfirmChannel confirmChannel = new ConfirmChannel(channel);
        channel.addConfirmListener(confirmChannel::acked, confirmChannel::nacked);
        channel.addReturnListener(confirmChannel::returned);
        channel.addShutdownListener(cause -> {
            confirmChannel.failAll(cause);
            onClose.accept(cause);
        });
        return confirmChannel;
    }

    public Channel channel() {
        return channel;
    }

    public boolean isOpen() {
        return !discarded && channel.isOpen();
    }

    public int pendingCount() {
        return pending.get().size();
    }

    /**
     * Publishes with mandatory=true. The future completes, on {@code completeOn}, with true (routed), false
     * (returned), or fails with a {@link PublishFailure} (nack, channel closed, no confirm within {@code timeout}).
     */
    public CompletableFuture<Boolean> publish(Outgoing message, Duration timeout, Executor completeOn) {
        return publishAll(List.of(message), timeout, completeOn).get(0);
    }

    /**
     * Publishes the messages back to back under one lock (they get consecutive sequence numbers, so the broker
     * usually confirms them with a few multiple acks); one future per message, in order, as {@link #publish}.
     * A failure to write fails the message that could not be written and every one after it.
     */
    public List<CompletableFuture<Boolean>> publishAll(List<Outgoing> messages, Duration timeout, Executor completeOn) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<CompletableFuture<Boolean>> futures = new ArrayList<>(messages.size());
        List<Pending> entries = new ArrayList<>(messages.size());
        for (Outgoing message : messages) {
            Pending entry = new Pending(message.properties().getMessageId(), message.exchange(),
                    message.routingKey(), deadline, timeout, completeOn);
            entries.add(entry);
            futures.add(entry.future);
        }
        int written = 0;
        publishLock.lock();
        try {
            ConcurrentNavigableMap<Long, Pending> current = pending.get();
            for (; written < messages.size(); written++) {
                Outgoing message = messages.get(written);
                Pending entry = entries.get(written);
                long sequence = channel.getNextPublishSeqNo();
                entry.sequence = sequence;
                entry.owner = current;
                current.put(sequence, entry);
                if (entry.messageId != null) {
                    byMessageId.put(entry.messageId, entry);
                }
                channel.basicPublish(message.exchange(), message.routingKey(), true, message.properties(),
                        message.body());
            }
        } catch (IOException | AlreadyClosedException e) {
            failUnwritten(entries, written, new PublishFailure(Reason.UNAVAILABLE, "channel closed: " + e.getMessage()));
        } catch (RuntimeException e) {
            // The client library took a sequence number for a message it then could not write (e.g. a property
            // over an AMQP limit that validation missed): from now on its numbers and the broker's confirms would
            // be one apart, and every later publish would wait for a confirm that went to another. The channel
            // is discarded (its publishes in flight fail as unknown) and its owner opens a fresh one.
            failUnwritten(entries, written, new PublishFailure(Reason.REFUSED,
                    "the message could not be written: " + e.getMessage()));
            discard("a publish failed half-way: " + e);
        } finally {
            publishLock.unlock();
        }
        return futures;
    }

    private void failUnwritten(List<Pending> entries, int firstUnwritten, PublishFailure failure) {
        for (int i = firstUnwritten; i < entries.size(); i++) {
            Pending entry = entries.get(i);
            forget(entry);
            entry.future.completeExceptionally(failure);
        }
    }

    /**
     * Closes the channel for good: its shutdown fails every publish still waiting for a confirm, and
     * {@link #isDiscarded()} tells the owner to open another one in its place.
     */
    private void discard(String reason) {
        discarded = true;
        try {
            channel.abort(AMQP.REPLY_SUCCESS, reason);
        } catch (IOException | RuntimeException e) {
            // abort() ignores most failures itself; the channel is out of use either way.
        }
    }

    /** True once this channel was closed because its confirm bookkeeping could no longer be trusted. */
    public boolean isDiscarded() {
        return discarded;
    }

    /** Fails the publishes whose confirm is overdue at {@code now} (System.nanoTime()); the outcome is unknown. */
    public void expire(long now) {
        for (Pending entry : pending.get().values()) {
            if (now - entry.deadline >= 0 && forget(entry)) {
                complete(entry, e -> e.future.completeExceptionally(
                        new PublishFailure(Reason.TIMEOUT, "no confirm from the broker within " + e.timeout)));
            }
        }
    }

    // The callbacks below run on the connection's I/O thread: they only update the maps and hand the
    // completion (and whatever the HTTP layer chains to it) over to the publisher's executor.

    private void returned(Return returned) {
        String messageId = returned.getProperties().getMessageId();
        if (messageId != null) {
            Pending entry = byMessageId.get(messageId);
            if (entry != null) {
                entry.returned = true;
            }
            return;
        }
        for (Pending entry : pending.get().values()) {
            if (entry.messageId == null && entry.exchange.equals(returned.getExchange())
                    && entry.routingKey.equals(returned.getRoutingKey())) {
                entry.returned = true;
            }
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
                    unindex(head.getValue());
                    complete(head.getValue(), outcome);
                }
            }
        } else {
            Pending entry = current.remove(deliveryTag);
            if (entry != null) {
                unindex(entry);
                complete(entry, outcome);
            }
        }
    }

    /** Removes the entry from the maps; true when this call removed it (so only one outcome completes it). */
    private boolean forget(Pending entry) {
        boolean removed = entry.owner != null && entry.owner.remove(entry.sequence, entry);
        unindex(entry);
        return removed;
    }

    private void unindex(Pending entry) {
        if (entry.messageId != null) {
            byMessageId.remove(entry.messageId, entry);
        }
    }

    private static void complete(Pending entry, Consumer<Pending> outcome) {
        entry.completeOn.execute(() -> outcome.accept(entry));
    }

    private void failAll(ShutdownSignalException cause) {
        ConcurrentNavigableMap<Long, Pending> old = pending.getAndSet(new ConcurrentSkipListMap<>());
        PublishFailure failure = new PublishFailure(Reason.UNAVAILABLE, "channel closed before the confirm: "
                + cause.getMessage());
        for (Pending entry : old.values()) {
            if (old.remove(entry.sequence, entry)) {
                unindex(entry);
                complete(entry, e -> e.future.completeExceptionally(failure));
            }
        }
    }

    private static final class Pending {
        /** Null when the message has none. */
        final String messageId;
        final String exchange;
        final String routingKey;
        final long deadline;
        final Duration timeout;
        final Executor completeOn;
        final CompletableFuture<Boolean> future = new CompletableFuture<>();
        /** Set under the publish lock, before the entry is visible to the I/O thread. */
        long sequence;
        ConcurrentNavigableMap<Long, Pending> owner;
        /** Set by basic.return, read at the ack; both arrive on the same I/O thread, return first. */
        volatile boolean returned;

        Pending(String messageId, String exchange, String routingKey, long deadline, Duration timeout,
                Executor completeOn) {
            this.messageId = messageId;
            this.exchange = exchange;
            this.routingKey = routingKey;
            this.deadline = deadline;
            this.timeout = timeout;
            this.completeOn = completeOn;
        }
    }
}
