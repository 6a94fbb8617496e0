package dev.rabbitworks.subscriber.messaging;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * One subscription on the plain amqp-client: its own connection, "log-subscriber-service (channel)", opened in
 * the background (retried until the broker answers), on which it declares the exchange and its queue, binds it,
 * sets basic.qos(prefetch) and consumes with manual acks; each delivery is acked once recorded.
 * <p>
 * A lost connection is the client's automatic recovery's to restore: it declares a server-named queue again (under
 * a new name), binds it and consumes again. What recovery does not cover, a channel closed by the broker or the
 * consumer cancelled because the queue was deleted, is met by starting over on a new connection.
 */
final class SubscriptionConsumer {

    private static final Logger LOG = Logger.getLogger(SubscriptionConsumer.class);
    private static final long RETRY_SECONDS = BrokerConnections.RETRY_SECONDS;

    private final Subscription subscription;
    private final ConnectionFactory factory;
    private final int prefetch;
    private final LogSubscriber subscriber;
    private final ScheduledExecutorService connector;
    private final String connectionName;

    private volatile Connection connection;
    /** The broker's consumer tag while it delivers to us, else null. */
    private volatile String consumerTag;
    private volatile boolean stopping;
    private int failedAttempts;

    SubscriptionConsumer(Subscription subscription, ConnectionFactory factory, int prefetch, LogSubscriber subscriber,
            ScheduledExecutorService connector) {
        this.subscription = subscription;
        this.factory = factory;
        this.prefetch = prefetch;
        this.subscriber = subscriber;
        this.connector = connector;
        this.connectionName = ConnectionNaming.connectionName(subscription.channel());
    }

    String channel() {
        return subscription.channel();
    }

    void start() {
        schedule(this::connect, 0);
    }

    /** Whether the broker delivers this subscription's messages to us right now (readiness). */
    boolean isConsuming() {
        Connection current = connection;
        return consumerTag != null && current != null && current.isOpen();
    }

    void stop() {
        stopping = true;
        Connection current = connection;
        if (current != null) {
            current.abort(2_000); // unacked deliveries go back to a durable queue; an exclusive one goes with it
        }
    }

    private void connect() {
        if (stopping) {
            return;
        }
        Connection opened = null;
        try {
            opened = factory.newConnection(connectionName);
            Channel channel = opened.createChannel();
            String queue = declareAndBind(channel);
            channel.basicQos(prefetch);
            ((Recoverable) opened).addRecoveryListener(new RecoveryLog());
            connection = opened;
            channel.basicConsume(queue, false, new Deliveries(channel));
            failedAttempts = 0;
            LOG.infof("consuming %s, bound to %s with %s, prefetch %d", queue, subscription.exchange(),
                    subscription.bindingKeys(), prefetch);
            if (stopping) {
                opened.abort(1_000);
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            if (failedAttempts++ == 0) {
                LOG.warnf("cannot subscribe to %s yet (%s); retrying every %d s", subscription.exchange(),
                        e.toString(), RETRY_SECONDS);
            }
            if (opened != null) {
                opened.abort(1_000);
            }
            connection = null;
            schedule(this::connect, RETRY_SECONDS);
        }
    }

    /** The exchange as the contract says (durable, no arguments), the queue, its bindings; returns its name. */
    private String declareAndBind(Channel channel) throws IOException {
        channel.exchangeDeclare(subscription.exchange(), subscription.type(), true, false, null);
        String queue = subscription.durableQueue().isPresent()
                ? channel.queueDeclare(subscription.durableQueue().get(), true, false, false, null).getQueue()
                : channel.queueDeclare().getQueue(); // server-named, exclusive, auto-delete
        for (String key : subscription.bindingKeys()) {
            channel.queueBind(queue, subscription.exchange(), key);
        }
        return queue;
    }

    /** Drops the connection (and what recovery recorded on it) and subscribes again on a new one. */
    private void startOver() {
        Connection old = connection;
        connection = null;
        consumerTag = null;
        if (old != null) {
            old.abort(1_000);
        }
        connect();
    }

    private void schedule(Runnable task, long delaySeconds) {
        try {
            connector.schedule(task, delaySeconds, TimeUnit.SECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // stopping
        }
    }

    /** Called by the client one delivery at a time, on the connection's dispatch thread. */
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
            if (!stopping) {
                LOG.warnf("the broker cancelled the %s consumer (queue deleted?); subscribing again",
                        subscription.channel());
                schedule(SubscriptionConsumer.this::startOver, RETRY_SECONDS);
            }
        }

        @Override
        public void handleShutdownSignal(String tag, ShutdownSignalException cause) {
            consumerTag = null;
            // A lost connection (a hard error) is recovered by the client; a channel the broker closed is not.
            if (!stopping && !cause.isHardError() && !cause.isInitiatedByApplication()) {
                LOG.warnf("the broker closed the %s channel (%s); subscribing again", subscription.channel(),
                        cause.getMessage());
                schedule(SubscriptionConsumer.this::startOver, RETRY_SECONDS);
            }
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            boolean recorded = subscriber.record(envelope, properties, body);
            try {
                if (recorded) {
                    getChannel().basicAck(envelope.getDeliveryTag(), false);
                } else {
                    getChannel().basicReject(envelope.getDeliveryTag(), false);
                }
            } catch (IOException | ShutdownSignalException channelGone) {
                // the broker requeues it (durable queue) or it went with the connection (exclusive queue)
                LOG.debugf("cannot settle delivery %d: %s", envelope.getDeliveryTag(), channelGone);
            }
        }
    }

    private final class RecoveryLog implements RecoveryListener {

        @Override
        public void handleRecoveryStarted(Recoverable recoverable) {
            LOG.warnf("connection of the %s subscription lost; recovering", subscription.channel());
        }

        @Override
        public void handleRecovery(Recoverable recoverable) {
            LOG.infof("%s subscription recovered", subscription.channel());
        }
    }
}
