package dev.rabbitworks.worker.messaging;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

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
import dev.rabbitworks.worker.config.WorkerConfig;
import io.quarkus.runtime.ShutdownEvent;

/**
 * The tutorial's Worker consumer, on the plain amqp-client: declares the work queue exactly as the contract says
 * (so tasks are kept whichever service starts first), sets basic.qos(worker.prefetch), consumes with manual acks
 * and hands every delivery to {@link TaskConsumer} at once, so up to prefetch tasks are in progress together.
 * <p>
 * A channel of the worker's one connection ({@link BrokerConnection}), opened once it is up; the client's automatic
 * recovery declares the queue again, restores the prefetch and registers the consumer again. Delivery tags belong
 * to one life of the channel: a delivery from before a recovery is not settled on the new one (the broker requeued
 * it when the old one closed).
 */
@ApplicationScoped
public class TaskQueueConsumer {

    private static final Logger LOG = Logger.getLogger(TaskQueueConsumer.class);

    private final BrokerConnection broker;
    private final TopologyConfig topology;
    private final int prefetch;
    private final TaskConsumer tasks;
    /** Counts the channel's lives: it moves on when a recovery starts. */
    private final AtomicInteger channelLife = new AtomicInteger();

    private volatile Channel channel;
    /** The broker's consumer tag while it delivers to us, else null. */
    private volatile String consumerTag;
    private volatile boolean stopping;
    private int failedAttempts;

    public TaskQueueConsumer(BrokerConnection broker, WorkerConfig config, TopologyConfig topology,
            TaskConsumer tasks) {
        this.broker = broker;
        this.topology = topology;
        this.prefetch = config.prefetch();
        this.tasks = tasks;
    }

    /** After the publishers (lower priorities run first): a task taken can be sent on at once. */
    void onConnected(@Observes @Priority(100) BrokerConnected event) {
        consume(event.connection());
    }

    /** Whether the broker delivers tasks to this worker right now (readiness). */
    public boolean isConsuming() {
        Channel current = channel;
        return consumerTag != null && current != null && current.isOpen();
    }

    /** First of the shutdown steps: no new deliveries; the tasks in hand finish (GracefulShutdown), then close. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
        Channel current = channel;
        String tag = consumerTag;
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
            abort(created);
            channel = null;
            broker.runLater(() -> consume(connection));
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
        if (stopping || current == null || !current.isOpen() || consumerTag != null) {
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

    /** The consumer the client calls, one delivery at a time per channel, on its own dispatch thread. */
    private final class Deliveries extends DefaultConsumer {

        Deliveries(Channel channel) {
            super(channel);
        }

        @Override
        public void handleConsumeOk(String tag) {
            consumerTag = tag; // also after a recovery, which registers the consumer again
        }

        @Override
        public void handleCancelOk(String tag) {
            consumerTag = null;
        }

        @Override
        public void handleCancel(String tag) {
            consumerTag = null;
            LOG.warnf("the broker cancelled the consumer of %s (queue deleted?); consuming again", topology.taskQueue());
            broker.runLater(TaskQueueConsumer.this::consumeAgain);
        }

        @Override
        public void handleShutdownSignal(String tag, ShutdownSignalException cause) {
            consumerTag = null;
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            tasks.consume(new Delivery(getChannel(), envelope, properties, body, channelLife.get()))
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
