package dev.rabbitworks.worker.messaging;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;

import dev.rabbitworks.broker.BrokerConnected;
import dev.rabbitworks.broker.BrokerConnection;
import dev.rabbitworks.broker.MessagingContract;
import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.worker.config.EventDelivery;
import dev.rabbitworks.worker.config.WorkerConfig;
import dev.rabbitworks.worker.lifecycle.InFlightTasks;
import io.quarkus.runtime.ShutdownEvent;

/**
 * The tutorial's Worker consumer, on the plain amqp-client: declares the work queue exactly as the contract says
 * (so tasks are kept whichever service starts first), sets basic.qos(worker.prefetch), consumes with manual acks
 * and hands every delivery to {@link TaskHandler} at once, so up to prefetch tasks are in progress together.
 * <p>
 * A channel of the worker's one connection ({@link BrokerConnection}), opened once it is up; the client's automatic
 * recovery declares the queue again, restores the prefetch and registers the consumer again. Delivery tags belong
 * to one life of the channel: a delivery from before a recovery is not settled on the new one (the broker requeued
 * it when the old one closed).
 * <p>
 * With the confirmed event delivery (the default) it takes no task while the broker blocks publishers (a memory or
 * disk alarm): a task's final event could not go out, so it could not be acked. It cancels its consumer when the
 * broker says connection.blocked (the tasks in hand wait, unacked, see {@link TaskSettlement}) and consumes again
 * on connection.unblocked; the queued tasks stay in the queue meanwhile, and none is run in a loop.
 */
@ApplicationScoped
public class TaskQueueConsumer {

    private static final Logger LOG = Logger.getLogger(TaskQueueConsumer.class);

    private final BrokerConnection broker;
    private final TopologyConfig topology;
    private final int prefetch;
    private final TaskHandler handler;
    private final PublishGate gate;
    private final InFlightTasks inFlight;
    private final boolean pauseWhileBlocked;
    /** Counts the channel's lives: it moves on when a recovery starts. */
    private final AtomicInteger channelLife = new AtomicInteger();
    /** Cancels and consumes again for alarms: RPCs, never on the connection's I/O thread or BrokerConnection's. */
    private final ExecutorService control = Executors.newSingleThreadExecutor(
            DaemonThreads.named("task-consumer-control"));
    /** The broker's consumer tag while it delivers to us, else null. */
    private final AtomicReference<String> consumerTag = new AtomicReference<>();

    private volatile Channel channel;
    /** System.nanoTime() since when it is connected but not consuming (not paused either); 0 while fine. */
    private volatile long lostSince;
    /** Why this worker takes no task (the broker blocks publishers), else null. */
    private volatile String pausedFor;
    private volatile boolean stopping;
    private int failedAttempts;

    public TaskQueueConsumer(BrokerConnection broker, WorkerConfig config, TopologyConfig topology,
            TaskHandler handler, PublishGate gate, InFlightTasks inFlight) {
        this.broker = broker;
        this.topology = topology;
        this.prefetch = config.prefetch();
        this.handler = handler;
        this.gate = gate;
        this.inFlight = inFlight;
        this.pauseWhileBlocked = config.eventDelivery() == EventDelivery.CONFIRMED;
    }

    /** After the publishers (lower priorities run first): a task taken can be sent on at once. */
    void onConnected(@Observes @Priority(100) BrokerConnected event) {
        if (pauseWhileBlocked) {
            gate.listen(new PublishGate.Listener() {
                @Override
                public void closed(String reason) {
                    onControl(() -> pause(reason));
                }

                @Override
                public void opened() {
                    onControl(TaskQueueConsumer.this::resume);
                }
            });
        }
        consume(event.connection());
        broker.every(broker.reconnectInterval(), () -> watch(event.connection()));
    }

    /**
     * Connected, not paused, and yet not consuming (a declare or the consumer's recovery failed, e.g. the node of a
     * queue is down): consume again on a new channel. Only from the second look on: a recovery in progress registers
     * the consumer by itself, and two consumers on one channel would double the prefetch.
     */
    private void watch(Connection connection) {
        if (stopping || pausedFor != null || !broker.isOpen() || isConsuming()) {
            lostSince = 0;
            return;
        }
        long now = System.nanoTime();
        if (lostSince == 0) {
            lostSince = now;
            return;
        }
        LOG.warnf("connected but not consuming %s for %d s; consuming again on a new channel", topology.taskQueue(),
                (now - lostSince) / 1_000_000_000);
        Channel old = channel;
        channel = null;
        abort(old);
        consume(connection);
    }

    /** How long it has been connected without consuming (and not paused); zero while it consumes. */
    public Duration lostFor() {
        long since = lostSince;
        return since == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    /** Whether the broker delivers tasks to this worker right now. */
    public boolean isConsuming() {
        Channel current = channel;
        return consumerTag.get() != null && current != null && current.isOpen();
    }

    /** Why this worker takes no task for now (the broker blocks publishers), if so. */
    public Optional<String> pausedFor() {
        return Optional.ofNullable(pausedFor);
    }

    /** Whether its channel is open: consuming, or paused on purpose. */
    public boolean isConnected() {
        Channel current = channel;
        return current != null && current.isOpen();
    }

    /** First of the shutdown steps: no new deliveries; the tasks in hand finish (GracefulShutdown), then close. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
        control.shutdown();
        Channel current = channel;
        String tag = consumerTag.get();
        if (current != null && current.isOpen() && tag != null) {
            try {
                current.basicCancel(tag);
            } catch (IOException | RuntimeException e) {
                LOG.debugf("cancel at shutdown: %s", e);
            }
        }
    }

    private void consume(Connection connection) {
        if (stopping) {
            return;
        }
        Channel created = null;
        try {
            created = connection.createChannel();
            MessagingContract.declareWorkQueue(created, topology);
            created.basicQos(prefetch);
            ((Recoverable) created).addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecoveryStarted(Recoverable recoverable) {
                    channelLife.incrementAndGet();
                }

                @Override
                public void handleRecovery(Recoverable recoverable) {
                    LOG.info("task consumer recovered");
                }
            });
            channel = created;
            created.basicConsume(topology.taskQueue(), false, new Deliveries(created));
            failedAttempts = 0;
            LOG.infof("consuming %s with prefetch %d", topology.taskQueue(), prefetch);
        } catch (IOException | RuntimeException e) {
            // e.g. the queue exists with other arguments (PRECONDITION_FAILED closes the channel): try again later.
            if (failedAttempts++ == 0) {
                LOG.warnf("cannot consume %s yet (%s); retrying every %s", topology.taskQueue(), e.toString(),
                        broker.reconnectInterval());
            }
            // The watch tries again every reconnect interval.
            abort(created);
            channel = null;
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

    /** After the broker cancelled the consumer (the queue was deleted): declare it again and consume again. */
    private void consumeAgain() {
        Channel current = channel;
        if (stopping || pausedFor != null || current == null || !current.isOpen() || consumerTag.get() != null) {
            return;
        }
        try {
            MessagingContract.declareWorkQueue(current, topology);
            current.basicConsume(topology.taskQueue(), false, new Deliveries(current));
            LOG.infof("consuming %s again", topology.taskQueue());
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot consume %s again yet (%s)", topology.taskQueue(), e.toString());
            broker.runLater(this::consumeAgain);
        }
    }

    private void onControl(Runnable step) {
        try {
            control.execute(step);
        } catch (RejectedExecutionException shuttingDown) {
            // stopping: no consumer to cancel or start any more
        }
    }

    /** The broker blocks publishers: cancel the consumer, so no task is taken that could not be settled. */
    private void pause(String reason) {
        if (stopping) {
            return;
        }
        pausedFor = reason;
        LOG.warnf("the broker blocks publishers (%s): taking no task from %s until it unblocks; %d task(s) in hand "
                + "wait unacked for their events (worker.event-delivery=confirmed)", reason, topology.taskQueue(),
                inFlight.inProgress());
        Channel current = channel;
        String tag = consumerTag.get();
        if (tag != null && current != null && current.isOpen()) {
            // The broker reads this (and answers) only once it unblocks the connection, if it blocked it for a
            // publish of ours; meanwhile it delivers nothing beyond the prefetch, since it reads no ack either.
            try {
                current.basicCancel(tag);
                forgetConsumer(tag);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("cannot cancel the consumer of %s (%s)", topology.taskQueue(), e.toString());
            }
        }
    }

    /** The broker takes publishes again (or the connection was replaced): consume again, if paused. */
    private void resume() {
        if (pausedFor == null || stopping || !gate.isOpen()) {
            return;
        }
        if (consumerTag.get() != null) {
            pausedFor = null;
            return;
        }
        Channel current = channel;
        if (current == null || !current.isOpen()) {
            // Recovering: try again once the channel is back.
            broker.runLater(() -> onControl(this::resume));
            return;
        }
        try {
            current.basicConsume(topology.taskQueue(), false, new Deliveries(current));
            pausedFor = null;
            LOG.infof("the broker takes publishes again: consuming %s again", topology.taskQueue());
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot consume %s again yet (%s)", topology.taskQueue(), e.toString());
            broker.runLater(() -> onControl(this::resume));
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
            LOG.warnf("the broker cancelled the consumer of %s (queue deleted?); consuming again", topology.taskQueue());
            broker.runLater(TaskQueueConsumer.this::consumeAgain);
        }

        @Override
        public void handleShutdownSignal(String tag, ShutdownSignalException cause) {
            forgetConsumer(tag);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            handler.handle(new Delivery(getChannel(), envelope, properties, body, channelLife.get()))
                    .subscribe().with(ignored -> {
                    }, failure -> LOG.errorf(failure, "task delivery %d not handled", envelope.getDeliveryTag()));
        }
    }

    /** One delivery and the way to settle it on the channel life it came on. */
    private final class Delivery implements TaskDeliveries.Received {
        private final Channel on;
        private final Envelope envelope;
        private final AMQP.BasicProperties properties;
        private final byte[] body;
        private final int life;

        Delivery(Channel on, Envelope envelope, AMQP.BasicProperties properties, byte[] body, int life) {
            this.on = on;
            this.envelope = envelope;
            this.properties = properties;
            this.body = body;
            this.life = life;
        }

        @Override
        public AMQP.BasicProperties properties() {
            return properties;
        }

        @Override
        public byte[] body() {
            return body;
        }

        @Override
        public boolean redelivered() {
            return envelope.isRedeliver();
        }

        @Override
        public boolean canSettle() {
            return channelLife.get() == life && on.isOpen();
        }

        @Override
        public void ack() throws IOException {
            on.basicAck(envelope.getDeliveryTag(), false);
        }

        @Override
        public void reject(boolean requeue) throws IOException {
            on.basicNack(envelope.getDeliveryTag(), false, requeue);
        }
    }
}
