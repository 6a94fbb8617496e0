package dev.rabbitworks.broker;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * Consumes one queue with manual acks and a prefetch (basic.qos), on a channel of the service's one connection
 * ({@link BrokerConnection}): the tutorials' consumer, plus what a service needs to run for months.
 * <ul>
 * <li>Before consuming it declares what the queue needs ({@link Declaration}), so messages are kept whichever
 * service starts first.</li>
 * <li>The client's automatic recovery declares again, restores the prefetch and registers the consumer again
 * after a connection loss. Each {@link Delivery} knows the channel life it came on.</li>
 * <li>When the broker cancels the consumer (the queue was deleted, or its node went down) it declares the queue
 * again and consumes again; when it is connected and yet not consuming for two looks in a row (a declare or a
 * recovery failed) it starts over on a new channel, every reconnect interval. {@link #lostFor()} says for how long,
 * for a liveness check.</li>
 * <li>{@link #pause(String)} cancels the consumer on purpose (the messages in hand are still settled) and
 * {@link #resume()} consumes again.</li>
 * </ul>
 * Every delivery goes to the {@link Handler} on the client's dispatch thread, one at a time per channel: a handler
 * that works for long hands the delivery to a thread of its own.
 */
public final class QueueConsumer {

    private static final Logger LOG = Logger.getLogger(QueueConsumer.class);

    /** Declares the queue (and what it needs, e.g. its dead letters) on the consumer's channel, before consuming. */
    @FunctionalInterface
    public interface Declaration {
        void declare(Channel channel) throws IOException;
    }

    /** Takes one delivery, on the client's dispatch thread: must not block. */
    @FunctionalInterface
    public interface Handler {
        void handle(Delivery delivery);
    }

    private final BrokerConnection broker;
    private final String queue;
    private final int prefetch;
    private final Declaration declaration;
    private final Handler handler;
    /** Counts the channel's lives: it moves on when a recovery starts. */
    private final AtomicInteger channelLife = new AtomicInteger();
    /** Cancels and consumes again on request: RPCs, never on the connection's I/O thread or BrokerConnection's. */
    private final ExecutorService control;
    /** The broker's consumer tag while it delivers to us, else null. */
    private final AtomicReference<String> consumerTag = new AtomicReference<>();

    private volatile Connection connection;
    private volatile Channel channel;
    /** System.nanoTime() since when it is connected but not consuming (not paused either); 0 while fine. */
    private volatile long lostSince;
    /** Why it takes nothing for now (see {@link #pause(String)}), else null. */
    private volatile String pausedFor;
    /** The last of pause/resume asked for a pause: a resume retried later must not undo a newer pause. */
    private volatile boolean pauseWanted;
    private volatile boolean stopping;
    private int failedAttempts;

    public QueueConsumer(BrokerConnection broker, String queue, int prefetch, Declaration declaration,
            Handler handler) {
        this.broker = broker;
        this.queue = queue;
        this.prefetch = prefetch;
        this.declaration = declaration;
        this.handler = handler;
        this.control = Executors.newSingleThreadExecutor(DaemonThreads.named("consumer-control-" + queue));
    }

    /** Declares and consumes on {@code opened} (from a {@link BrokerConnected} observer), and watches from then on. */
    public void start(Connection opened) {
        connection = opened;
        consume();
        broker.every(broker.reconnectInterval(), this::watch);
    }

    /** Stops taking messages (at shutdown): cancels the consumer; the messages in hand may still be settled. */
    public void stop() {
        stopping = true;
        control.shutdown();
        cancel();
    }

    public String queue() {
        return queue;
    }

    /** Whether the broker delivers to this consumer right now. */
    public boolean isConsuming() {
        Channel current = channel;
        return consumerTag.get() != null && current != null && current.isOpen();
    }

    /** Whether its channel is open: consuming, or paused on purpose. */
    public boolean isConnected() {
        Channel current = channel;
        return current != null && current.isOpen();
    }

    /** How long it has been connected without consuming (and not paused); zero while it consumes. */
    public Duration lostFor() {
        long since = lostSince;
        return since == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    /** Why it takes nothing for now, if paused. */
    public Optional<String> pausedFor() {
        return Optional.ofNullable(pausedFor);
    }

    /** Takes nothing more until {@link #resume()}: cancels the consumer (asynchronously). */
    public void pause(String reason) {
        pauseWanted = true;
        onControl(() -> {
            if (stopping || !pauseWanted) {
                return;
            }
            pausedFor = reason;
            cancel();
        });
    }

    /** Consumes again after a {@link #pause(String)} (asynchronously; retried while the channel recovers). */
    public void resume() {
        pauseWanted = false;
        onControl(this::consumeAfterPause);
    }

    private void consumeAfterPause() {
        if (pausedFor == null || stopping || pauseWanted) {
            return;
        }
        if (consumerTag.get() != null) {
            pausedFor = null;
            return;
        }
        Channel current = channel;
        try {
            if (current == null || !current.isOpen()) {
                throw new IOException("channel recovering");
            }
            current.basicConsume(queue, false, new Deliveries(current));
            pausedFor = null;
            LOG.infof("consuming %s again", queue);
        } catch (IOException | RuntimeException e) {
            LOG.debugf("cannot consume %s again yet (%s)", queue, e);
            broker.runLater(() -> onControl(this::consumeAfterPause));
        }
    }

    /**
     * Connected, not paused, and yet not consuming (a declare or the consumer's recovery failed, e.g. the node of a
     * queue is down): consume again on a new channel. Only from the second look on: a recovery in progress registers
     * the consumer by itself, and two consumers on one channel would double the prefetch.
     */
    private void watch() {
        if (stopping || pausedFor != null || !broker.isOpen() || isConsuming()) {
            lostSince = 0;
            return;
        }
        long now = System.nanoTime();
        if (lostSince == 0) {
            lostSince = now;
            return;
        }
        LOG.warnf("connected but not consuming %s for %d s; consuming again on a new channel", queue,
                (now - lostSince) / 1_000_000_000);
        Channel old = channel;
        channel = null;
        abort(old);
        consume();
    }

    private void consume() {
        if (stopping) {
            return;
        }
        Channel created = null;
        try {
            created = connection.createChannel();
            declaration.declare(created);
            created.basicQos(prefetch);
            ((Recoverable) created).addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecoveryStarted(Recoverable recoverable) {
                    channelLife.incrementAndGet();
                }

                @Override
                public void handleRecovery(Recoverable recoverable) {
                    LOG.infof("consumer of %s recovered", queue);
                }
            });
            channel = created;
            created.basicConsume(queue, false, new Deliveries(created));
            failedAttempts = 0;
            LOG.infof("consuming %s with prefetch %d", queue, prefetch);
        } catch (IOException | RuntimeException e) {
            // e.g. the queue exists with other arguments (PRECONDITION_FAILED closes the channel): the watch tries
            // again every reconnect interval.
            if (failedAttempts++ == 0) {
                LOG.warnf("cannot consume %s yet (%s); retrying every %s", queue, e.toString(),
                        broker.reconnectInterval());
            }
            abort(created);
            channel = null;
        }
    }

    /** After the broker cancelled the consumer: declare the queue again and consume again. */
    private void consumeAgain() {
        Channel current = channel;
        if (stopping || pausedFor != null || current == null || !current.isOpen() || consumerTag.get() != null) {
            return;
        }
        try {
            declaration.declare(current);
            current.basicConsume(queue, false, new Deliveries(current));
            LOG.infof("consuming %s again", queue);
        } catch (IOException | RuntimeException e) {
            // A failed declare closes the channel: the watch then starts over on a new one.
            LOG.warnf("cannot consume %s again yet (%s)", queue, e.toString());
            broker.runLater(this::consumeAgain);
        }
    }

    private void cancel() {
        Channel current = channel;
        String tag = consumerTag.get();
        if (tag != null && current != null && current.isOpen()) {
            try {
                current.basicCancel(tag);
                forgetConsumer(tag);
            } catch (IOException | RuntimeException e) {
                LOG.debugf("cannot cancel the consumer of %s: %s", queue, e);
            }
        }
    }

    private void onControl(Runnable step) {
        try {
            control.execute(step);
        } catch (RejectedExecutionException shuttingDown) {
            // stopping: no consumer to cancel or start any more
        }
    }

    private static void abort(Channel created) {
        if (created != null) {
            try {
                created.abort();
            } catch (IOException | RuntimeException ignored) {
                // closing what failed: nothing more to do
            }
        }
    }

    /**
     * Forgets the consumer {@code tag}, unless another one was registered since. By equality: the tags the client
     * hands to each callback are distinct String objects (compareAndSet would compare identities and never match).
     */
    private void forgetConsumer(String tag) {
        consumerTag.updateAndGet(current -> tag.equals(current) ? null : current);
    }

    /** The consumer the client calls, one delivery at a time per channel, on its own dispatch thread. */
    private final class Deliveries extends DefaultConsumer {

        Deliveries(Channel channel) {
            super(channel);
        }

        @Override
        public void handleConsumeOk(String tag) {
            consumerTag.set(tag); // also after a recovery, which registers the consumer again
        }

        @Override
        public void handleCancelOk(String tag) {
            // Only this consumer's: after a pause, a new consumer may already be registered.
            forgetConsumer(tag);
        }

        @Override
        public void handleCancel(String tag) {
            forgetConsumer(tag);
            LOG.warnf("the broker cancelled the consumer of %s (queue deleted, or its node down); consuming again",
                    queue);
            broker.runLater(QueueConsumer.this::consumeAgain);
        }

        @Override
        public void handleShutdownSignal(String tag, ShutdownSignalException cause) {
            forgetConsumer(tag);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            try {
                handler.handle(new Delivery(getChannel(), envelope, properties, body, channelLife.get(),
                        channelLife::get));
            } catch (RuntimeException e) {
                // Left unacked: the broker redelivers it when the channel closes.
                LOG.errorf(e, "delivery %d of %s not handled", envelope.getDeliveryTag(), queue);
            }
        }
    }
}
