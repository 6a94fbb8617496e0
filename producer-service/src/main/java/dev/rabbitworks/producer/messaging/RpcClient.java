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
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;

import dev.rabbitworks.broker.BrokerConnection;
import dev.rabbitworks.broker.BrokerConnected;
import dev.rabbitworks.broker.PublishFailure;
import dev.rabbitworks.producer.config.ProducerConfig;
import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.broker.PublishFailure.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * RPC over direct reply-to: one dedicated channel consumes {@code amq.rabbitmq.reply-to} (auto-ack) and
 * publishes the requests, as direct reply-to requires the same channel. Each call waits in a map by correlation
 * id, removed on reply, return, timeout or failure; late replies are counted and dropped.
 * <p>
 * Requests are transient (delivery mode 1) and the channel is not in confirm mode (docs/rpc-service.md, "The
 * producer's requests"): a request lives only as long as its caller waits (its expiration is the call's timeout,
 * and the caller's direct reply-to would not outlive a broker restart anyway), and the reply is stronger proof
 * than a confirm that it arrived. They are published with the mandatory flag: when no queue takes one (no
 * rpc-service ever declared rpc_queue) the broker's basic.return fails the call at once (503), not at the timeout.
 */
@ApplicationScoped
public class RpcClient {

    private static final Logger LOG = Logger.getLogger(RpcClient.class);
    static final String REPLY_TO = "amq.rabbitmq.reply-to";
    public static final String PROCEDURE_HEADER = "procedure";
    public static final String PENDING_GAUGE = "producer.rpc.pending";
    public static final String LATE_REPLIES = "producer.rpc.late.replies";
    static final int TRANSIENT = 1;

    private final ProducerConfig config;
    private final TopologyConfig topology;
    private final PublishMetrics metrics;
    private final BrokerConnection broker;
    private final Map<String, Call> pending = new ConcurrentHashMap<>();
    private final Counter lateReplies;
    private volatile Channel channel;

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
    }

    /** True while the request/reply channel is open. */
    public boolean isOpen() {
        Channel current = channel;
        return current != null && current.isOpen();
    }

    /**
     * Calls {@code procedure}; fails with {@link PublishFailure} (503: broker unavailable or blocking, no queue
     * took the request) or {@link RpcTimeout} (504).
     */
    public CompletionStage<RpcReply> call(String procedure, byte[] argument) {
        Duration timeout = config.rpcTimeout();
        Channel current = channel;
        if (current == null || !current.isOpen()) {
            return CompletableFuture.failedFuture(new PublishFailure(Reason.UNAVAILABLE, "not connected to the broker"));
        }
        if (broker.blockedReason().isPresent()) {
            return CompletableFuture.failedFuture(new PublishFailure(Reason.UNAVAILABLE,
                    "the broker blocks publishing: " + broker.blockedReason().get()));
        }
        String correlationId = UUID.randomUUID().toString();
        Executor completeOn = CallerContext.current();
        long start = System.nanoTime();
        Call call = new Call(new CompletableFuture<>(), completeOn, start);
        CompletableFuture<RpcReply> reply = call.reply();
        pending.put(correlationId, call);
        reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, failure) -> {
                    if (pending.remove(correlationId, call) && failure instanceof TimeoutException) {
                        metrics.record(PublishTarget.RPC, "timeout", start);
                    }
                });

        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .deliveryMode(TRANSIENT)
                .correlationId(correlationId)
                .replyTo(REPLY_TO)
                // A request nobody took in time is useless: let the queue drop it.
                .expiration(Long.toString(timeout.toMillis()))
                .contentType("text/plain")
                .headers(Map.of(PROCEDURE_HEADER, procedure))
                .build();
        try {
            // A socket write from the caller's event loop; the client library keeps each message's frames together.
            current.basicPublish("", topology.rpcQueue(), true, properties, argument);
        } catch (IOException | AlreadyClosedException e) {
            fail(correlationId, new PublishFailure(Reason.UNAVAILABLE, "channel closed: " + e.getMessage()));
        } catch (RuntimeException e) {
            fail(correlationId, new PublishFailure(Reason.REFUSED, "the request could not be written: " + e.getMessage()));
        }
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
            Channel opened = connection.createChannel();
            if (opened == null) {
                throw new IOException("the broker has no channel left for this connection");
            }
            // Listeners and the consumer are recorded by the client: automatic recovery brings them back with the channel.
            opened.addReturnListener(this::onReturn);
            opened.addShutdownListener(cause -> onClosed(connection, cause));
            opened.basicConsume(REPLY_TO, true, (tag, delivery) -> onReply(delivery),
                    tag -> LOG.warn("the broker cancelled the reply consumer"));
            channel = opened;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot open the RPC channel (%s); retrying", e.toString());
            broker.runLater(() -> open(connection));
        }
    }

    // The callbacks below run on the connection's I/O thread: they only update the map and hand the completion
    // over to the caller's executor.

    private void onReply(Delivery delivery) {
        String correlationId = delivery.getProperties().getCorrelationId();
        Call call = correlationId == null ? null : pending.remove(correlationId);
        if (call == null) {
            lateReplies.increment();
            LOG.debugf("discarded a reply for no waiting call (correlation id %s)", correlationId);
            return;
        }
        // The reply proves the request was routed (and answered): counted as such, timed to the reply.
        metrics.record(PublishTarget.RPC, "routed", call.start());
        RpcReply reply = RpcReply.of(delivery.getProperties(), delivery.getBody());
        call.completeOn().execute(() -> call.reply().complete(reply));
    }

    /** basic.return: no queue took the request (mandatory). */
    private void onReturn(Return returned) {
        String correlationId = returned.getProperties().getCorrelationId();
        if (correlationId != null) {
            fail(correlationId, "returned", new PublishFailure(Reason.UNROUTABLE,
                    "no queue '" + topology.rpcQueue() + "' took the request: is the rpc-service running?"));
        }
    }

    private void fail(String correlationId, PublishFailure failure) {
        fail(correlationId, PublishMetrics.outcomeOf(failure), failure);
    }

    /** Fails the call, if it still waits, and counts its request under {@code outcome} (as the other targets). */
    private void fail(String correlationId, String outcome, PublishFailure failure) {
        Call call = pending.remove(correlationId);
        if (call != null) {
            metrics.record(PublishTarget.RPC, outcome, call.start());
            call.completeOn().execute(() -> call.reply().completeExceptionally(failure));
        }
    }

    private void onClosed(Connection connection, ShutdownSignalException cause) {
        // Replies to this channel's requests can no longer arrive: answer the waiting calls now.
        PublishFailure failure = new PublishFailure(Reason.UNAVAILABLE, "connection to the broker lost before the reply");
        pending.keySet().forEach(correlationId -> fail(correlationId, failure));
        if (!cause.isHardError() && !cause.isInitiatedByApplication()) {
            LOG.warnf("RPC channel closed by the broker: %s; reopening", cause.getMessage());
            broker.runNow(() -> open(connection));
        }
    }

    /** A call waiting for its reply, where to complete it (the caller's event loop), and when it was sent. */
    private record Call(CompletableFuture<RpcReply> reply, Executor completeOn, long start) {
    }
}
