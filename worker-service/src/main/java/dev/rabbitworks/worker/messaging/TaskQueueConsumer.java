package dev.rabbitworks.worker.messaging;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;

import dev.rabbitworks.worker.config.TopologyConfig;
import dev.rabbitworks.worker.config.WorkerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The tutorial's Worker consumer, on the plain amqp-client: declares the work queue exactly as the contract says
 * (so tasks are kept whichever service starts first), sets basic.qos(worker.prefetch), consumes with manual acks
 * and hands every delivery to {@link TaskConsumer} at once, so up to prefetch tasks are in progress together.
 * <p>
 * Its own connection, {@code worker-service <instance> tasks}, opened in the background at start (retried until
 * the broker answers) and then kept by the client's automatic recovery, which declares the queue again, restores
 * the prefetch and registers the consumer again. Delivery tags belong to one life of the channel: a delivery from
 * before a recovery is not settled on the new one (the broker requeued it when the old one closed).
 */
@ApplicationScoped
public class TaskQueueConsumer {

    static final String CONNECTION_SUFFIX = TaskConsumer.CHANNEL;
    private static final Logger LOG = Logger.getLogger(TaskQueueConsumer.class);
    private static final long RETRY_SECONDS = BrokerConnections.RETRY_SECONDS;

    private final ConnectionFactory factory;
    private final TopologyConfig topology;
    private final int prefetch;
    private final String connectionName;
    private final TaskConsumer tasks;
    private final ScheduledExecutorService connector = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("worker-tasks-connect"));
    /** Counts the channel's lives: it moves on when a recovery starts. */
    private final AtomicInteger channelLife = new AtomicInteger();

    private volatile Connection connection;
    private volatile Channel channel;
    /** The broker's consumer tag while it delivers to us, else null. */
    private volatile String consumerTag;
    private volatile boolean stopping;
    private int failedAttempts;

    public TaskQueueConsumer(BrokerConnections broker, WorkerConfig config, TopologyConfig topology,
            TaskConsumer tasks) {
        this.topology = topology;
        this.prefetch = config.prefetch();
        this.tasks = tasks;
        this.connectionName = broker.connectionName(CONNECTION_SUFFIX);
        this.factory = broker.recoveringFactory();
        factory.setConnectionTimeout(5_000);
    }

    /** The work queue's arguments (docs/messaging-contract.md), as the producer declares them. */
    static Map<String, Object> taskQueueArguments(TopologyConfig topology) {
        return Map.of("x-queue-type", "quorum",
                "x-delivery-limit", topology.taskDeliveryLimit(),
                "x-dead-letter-exchange", topology.deadLetterExchange(),
                "x-dead-letter-routing-key", topology.deadLetterQueue());
    }

    void onStart(@Observes StartupEvent event) {
        schedule(this::connect, 0);
    }

    /** Whether the broker delivers tasks to this worker right now (readiness). */
    public boolean isConsuming() {
        Channel current = channel;
        return consumerTag != null && current != null && current.isOpen();
    }

    /** First of the shutdown steps: no new deliveries; the tasks in hand finish (GracefulShutdown), then close. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
        connector.shutdownNow();
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

    /** Last of the shutdown steps: unacked deliveries go back to the queue when the connection closes. */
    void onShutdownDone(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        Connection current = connection;
        if (current != null) {
            current.abort(2_000);
        }
    }

    private void connect() {
        if (stopping) {
            return;
        }
        Connection opened = null;
        try {
            opened = factory.newConnection(connectionName);
            Channel created = opened.createChannel();
            declare(created);
            created.basicQos(prefetch);
            ((Recoverable) created).addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecoveryStarted(Recoverable recoverable) {
                    channelLife.incrementAndGet();
                    LOG.warn("task consumer's connection lost; recovering");
                }

                @Override
                public void handleRecovery(Recoverable recoverable) {
                    LOG.info("task consumer recovered");
                }
            });
            connection = opened;
            channel = created;
            created.basicConsume(topology.taskQueue(), false, new Deliveries(created));
            failedAttempts = 0;
            LOG.infof("consuming %s with prefetch %d as %s", topology.taskQueue(), prefetch, connectionName);
        } catch (IOException | TimeoutException | RuntimeException e) {
            if (failedAttempts++ == 0) {
                LOG.warnf("cannot consume %s yet (%s); retrying every %d s", topology.taskQueue(), e.toString(),
                        RETRY_SECONDS);
            }
            if (opened != null) {
                opened.abort(1_000);
            }
            connection = null;
            channel = null;
            schedule(this::connect, RETRY_SECONDS);
        }
    }

    /** Exactly as in docs/messaging-contract.md (the producer declares the same). */
    private void declare(Channel on) throws IOException {
        on.exchangeDeclare(topology.deadLetterExchange(), BuiltinExchangeType.DIRECT, true, false, null);
        on.queueDeclare(topology.deadLetterQueue(), true, false, false, null);
        on.queueBind(topology.deadLetterQueue(), topology.deadLetterExchange(), topology.deadLetterQueue());
        on.queueDeclare(topology.taskQueue(), true, false, false, taskQueueArguments(topology));
    }

    /** After the broker cancelled the consumer (the queue was deleted): declare it again and consume again. */
    private void consumeAgain() {
        Channel current = channel;
        if (stopping || current == null || !current.isOpen() || consumerTag != null) {
            return;
        }
        try {
            declare(current);
            current.basicConsume(topology.taskQueue(), false, new Deliveries(current));
            LOG.infof("consuming %s again", topology.taskQueue());
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot consume %s again yet (%s)", topology.taskQueue(), e.toString());
            schedule(this::consumeAgain, RETRY_SECONDS);
        }
    }

    private void schedule(Runnable task, long delaySeconds) {
        try {
            connector.schedule(task, delaySeconds, TimeUnit.SECONDS);
        } catch (RejectedExecutionException stopping) {
            // shutting down
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
            schedule(TaskQueueConsumer.this::consumeAgain, RETRY_SECONDS);
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
