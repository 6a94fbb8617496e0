package dev.rabbitworks.producer.messaging;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.ShutdownSignalException;

import dev.rabbitworks.broker.BrokerConnection;
import dev.rabbitworks.broker.BrokerConnected;
import dev.rabbitworks.broker.ConfirmChannel;
import dev.rabbitworks.broker.PublishFailure;
import dev.rabbitworks.producer.config.ProducerConfig;
import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.broker.PublishFailure.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * RPC over direct reply-to: one dedicated channel consumes {@code amq.rabbitmq.reply-to} (auto-ack) and
 * publishes the requests (confirm mode, mandatory), as direct reply-to requires the same channel. Each call
 * waits in a map by correlation id, removed on reply, timeout or failure; late replies are counted and dropped.
 */
@ApplicationScoped
public class RpcClient {

    private static final Logger LOG = Logger.getLogger(RpcClient.class);
    static final String REPLY_TO = "amq.rabbitmq.reply-to";
    public static final String PROCEDURE_HEADER = "procedure";
    public static final String PENDING_GAUGE = "producer.rpc.pending";
    public static final String LATE_REPLIES = "producer.rpc.late.replies";

    private final ProducerConfig config;
    private final TopologyConfig topology;
    private final PublishMetrics metrics;
    private final BrokerConnection broker;
    private final Map<String, Call> pending = new ConcurrentHashMap<>();
    private final Counter lateReplies;
    private volatile ConfirmChannel channel;

    public RpcClient(ProducerConfig config, TopologyConfig topology, PublishMetrics metrics, BrokerConnection broker,
            MeterRegistry registry) {
        this.config = config;
        this.topology = topology;
        this.metrics = metrics;
        this.broker = broker;
        Gauge.builder(PENDING_GAUGE, pending, Map::size).description("RPC calls waiting for their reply")
                .register(registry);
        this.lateReplies = Counter.builder(LATE_REPLIES)
                .description("Replies that came after their call timed out (or were never asked for), discarded")
                .register(registry);
    }

    void onConnected(@Observes BrokerConnected event) {
        open(event.connection());
        broker.every(ConfirmedPublisher.TIMEOUT_SWEEP, () -> {
            ConfirmChannel current = channel;
            if (current != null) {
                current.expire(System.nanoTime());
            }
        });
    }

    /** True while the request/reply channel is open. */
    public boolean isOpen() {
        ConfirmChannel current = channel;
        return current != null && current.isOpen();
    }

    /** Calls {@code procedure}; fails with {@link PublishFailure} (503) or {@link RpcTimeout} (504). */
    public CompletionStage<RpcReply> call(String procedure, byte[] argument) {
        Duration timeout = config.rpcTimeout();
        ConfirmChannel current = channel;
        if (current == null || !current.isOpen()) {
            return CompletableFuture.failedFuture(new PublishFailure(Reason.UNAVAILABLE, "not connected to the broker"));
        }
        if (broker.blockedReason().isPresent()) {
            return CompletableFuture.failedFuture(new PublishFailure(Reason.UNAVAILABLE,
                    "the broker blocks publishing: " + broker.blockedReason().get()));
        }
        String correlationId = UUID.randomUUID().toString();
        Executor completeOn = CallerContext.current();
        Call call = new Call(new CompletableFuture<>(), completeOn);
        CompletableFuture<RpcReply> reply = call.reply();
        pending.put(correlationId, call);
        reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, failure) -> pending.remove(correlationId, call));

        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .deliveryMode(ConfirmedPublisher.PERSISTENT)
                .messageId(UUID.randomUUID().toString())
                .correlationId(correlationId)
                .replyTo(REPLY_TO)
                // A request nobody took in time is useless: let the queue drop it.
                .expiration(Long.toString(timeout.toMillis()))
                .contentType("text/plain")
                .headers(Map.of(PROCEDURE_HEADER, procedure))
                .build();
        long start = System.nanoTime();
        metrics.track(PublishTarget.RPC,
                current.publish(new ConfirmChannel.Outgoing("", topology.rpcQueue(), properties, argument),
                        config.publishTimeout(), completeOn), start)
                .whenComplete((routed, failure) -> {
                    if (failure != null) {
                        reply.completeExceptionally(unwrap(failure));
                    } else if (!routed) {
                        reply.completeExceptionally(new PublishFailure(Reason.UNROUTABLE,
                                "no queue '" + topology.rpcQueue() + "' took the request: is the rpc-service running?"));
                    }
                });
        return reply.handle((answer, failure) -> {
            if (failure instanceof TimeoutException) {
                throw new RpcTimeout("no reply to '" + procedure + "' within " + timeout);
            }
            if (failure != null) {
                throw failure instanceof RuntimeException runtime ? runtime : new CompletionException(failure);
            }
            return answer;
        });
    }

    private void open(Connection connection) {
        try {
            ConfirmChannel opened = ConfirmChannel.open(connection, cause -> onClosed(connection, cause));
            // Recorded by the client: automatic recovery brings this consumer back with the channel.
            opened.channel().basicConsume(REPLY_TO, true, (tag, delivery) -> onReply(delivery),
                    tag -> LOG.warn("the broker cancelled the reply consumer"));
            channel = opened;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot open the RPC channel (%s); retrying", e.toString());
            broker.runLater(() -> open(connection));
        }
    }

    private void onReply(Delivery delivery) {
        String correlationId = delivery.getProperties().getCorrelationId();
        Call call = correlationId == null ? null : pending.remove(correlationId);
        if (call == null) {
            lateReplies.increment();
            LOG.debugf("discarded a reply for no waiting call (correlation id %s)", correlationId);
            return;
        }
        RpcReply reply = RpcReply.of(delivery.getProperties(), delivery.getBody());
        call.completeOn().execute(() -> call.reply().complete(reply));
    }

    private void onClosed(Connection connection, ShutdownSignalException cause) {
        // Replies to this channel's requests can no longer arrive: answer the waiting calls now.
        PublishFailure failure = new PublishFailure(Reason.UNAVAILABLE, "connection to the broker lost before the reply");
        pending.values().forEach(call -> call.completeOn().execute(() -> call.reply().completeExceptionally(failure)));
        if (!cause.isHardError() && !cause.isInitiatedByApplication()) {
            LOG.warnf("RPC channel closed by the broker: %s; reopening", cause.getMessage());
            broker.runNow(() -> open(connection));
        }
    }

    /** A call waiting for its reply, and where to complete it (the caller's event loop). */
    private record Call(CompletableFuture<RpcReply> reply, Executor completeOn) {
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
