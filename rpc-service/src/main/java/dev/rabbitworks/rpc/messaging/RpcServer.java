package dev.rabbitworks.rpc.messaging;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.rabbitworks.broker.BrokerConnected;
import dev.rabbitworks.broker.BrokerConnection;
import dev.rabbitworks.broker.DaemonThreads;
import dev.rabbitworks.broker.Delivery;
import dev.rabbitworks.broker.MessagingContract;
import dev.rabbitworks.broker.QueueConsumer;
import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.rpc.config.RpcConfig;
import dev.rabbitworks.rpc.metrics.RpcMetrics;
import dev.rabbitworks.rpc.procedure.ProcedureDispatcher;
import dev.rabbitworks.rpc.procedure.ProcedureDispatcher.Outcome;
import io.quarkus.runtime.ShutdownEvent;

/**
 * The RPC server, as the tutorials' RPCServer: takes a request from rpc_queue, computes the reply, publishes it to
 * the request's reply_to with the same correlation id on the channel the request came on, and only then acks the
 * request. The queue is consumed through broker-client's {@link QueueConsumer} (declared as the contract says, a
 * prefetch of rpc.prefetch, consumed again after a recovery or a cancel).
 * <p>
 * Requests are worked on concurrently, up to rpc.prefetch at once per replica: each on a thread of the service's
 * pool of rpc.prefetch threads, acked (multiple=false) once its own reply went out; replies may leave in another
 * order than their requests came (callers match them by correlation id).
 * <p>
 * Requests that cannot be answered are rejected (nack without requeue; rpc_queue has no dead-letter exchange, so
 * they are dropped), never requeued: a request without reply_to, or with one no reply may be published to, would
 * come back forever. A request whose ack is lost with the connection is redelivered and answered again; callers
 * ignore replies whose correlation id they do not wait for.
 */
@ApplicationScoped
public class RpcServer {

    private static final Logger LOG = Logger.getLogger(RpcServer.class);
    /** How long a stopping service waits for the requests in hand to be answered. */
    private static final long DRAIN_SECONDS = 5;

    private final QueueConsumer consumer;
    private final ExecutorService workers;
    private final ProcedureDispatcher dispatcher;
    private final RpcMetrics metrics;

    public RpcServer(BrokerConnection broker, TopologyConfig topology, RpcConfig config,
            ProcedureDispatcher dispatcher, RpcMetrics metrics) {
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.consumer = new QueueConsumer(broker, topology.rpcQueue(), config.prefetch(),
                channel -> MessagingContract.declareRpcQueue(channel, topology), this::onDelivery);
        // As many threads as requests the broker hands over at once: none waits for a thread.
        this.workers = Executors.newFixedThreadPool(config.prefetch(), DaemonThreads.numbered("rpc-request"));
    }

    void onConnected(@Observes BrokerConnected event) {
        consumer.start(event.connection());
    }

    /** First of the shutdown steps: take no more requests, answer those in hand; the connection closes last. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) throws InterruptedException {
        consumer.stop();
        workers.shutdown();
        if (!workers.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
            LOG.warn("requests still in hand at shutdown: the broker gives them to another replica");
        }
    }

    /** The consumer of the request queue, for the health checks. */
    public QueueConsumer consumer() {
        return consumer;
    }

    /** On the client's dispatch thread: hand over at once, so the next request is taken while this one runs. */
    private void onDelivery(Delivery delivery) {
        try {
            workers.execute(() -> handle(delivery));
        } catch (RejectedExecutionException stopping) {
            // Left unacked: the broker gives it to another replica once this connection closes.
        }
    }

    private void handle(Delivery delivery) {
        RpcRequest request;
        try {
            request = RpcRequest.from(delivery);
        } catch (RuntimeException e) {
            LOG.error("rejecting an unreadable request", e);
            reject(delivery);
            return;
        }
        if (request.replyTo().isEmpty()) {
            LOG.warnf("rejecting a request without reply_to (correlation id %s): there is nobody to answer",
                    LogSafe.of(request.correlationId()));
            metrics.requestUnanswered(RpcMetrics.MISSING_REPLY_TO);
            reject(delivery);
            return;
        }
        String replyTo = request.replyTo().get();
        Optional<String> replyToProblem = ReplyToValidator.problem(replyTo);
        if (replyToProblem.isPresent()) {
            refuse(delivery, request, RpcMetrics.INVALID_REPLY_TO, replyToProblem.get());
            return;
        }
        if (request.correlationId().filter(id -> !ShortString.fits(id)).isPresent()) {
            refuse(delivery, request, RpcMetrics.INVALID_CORRELATION_ID,
                    "correlation_id is longer than " + ShortString.MAX_BYTES + " bytes once decoded");
            return;
        }
        Outcome outcome = compute(request);
        try {
            ReplySender.send(delivery.channel(), replyTo, request.correlationId(), outcome.reply());
        } catch (IOException | RuntimeException e) {
            metrics.requestUnanswered(RpcMetrics.REPLY_FAILED);
            LOG.warnf("rejecting request %s: its reply to %s did not go out: %s", LogSafe.of(request.correlationId()),
                    LogSafe.of(request.replyTo()), e.toString());
            reject(delivery);
            return;
        }
        settle(delivery, true);
    }

    private Outcome compute(RpcRequest request) {
        long start = System.nanoTime();
        Outcome outcome = dispatcher.dispatch(request.procedure(), request.argument());
        metrics.requestComputed(outcome.procedure(), outcome.reply().status(), System.nanoTime() - start);
        LOG.debugf("request %s: procedure %s, status %d", LogSafe.of(request.correlationId()), outcome.procedure(),
                outcome.reply().status());
        return outcome;
    }

    /** Rejects a request no reply may be published for (see {@link ReplyToValidator}, {@link ShortString}). */
    private void refuse(Delivery delivery, RpcRequest request, String metricReason, String problem) {
        LOG.warnf("rejecting request %s with reply_to %s: %s", LogSafe.of(request.correlationId()),
                LogSafe.of(request.replyTo()), problem);
        metrics.requestUnanswered(metricReason);
        reject(delivery);
    }

    /** basic.nack with requeue=false: dropped, never looped. */
    private static void reject(Delivery delivery) {
        settle(delivery, false);
    }

    /**
     * Acks or rejects on the channel life the request came on; after a recovery the broker has requeued it already
     * (it is answered again: callers ignore a second reply).
     */
    private static void settle(Delivery delivery, boolean answered) {
        if (!delivery.canSettle()) {
            return;
        }
        try {
            if (answered) {
                delivery.ack();
            } else {
                delivery.reject(false);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debugf("could not settle a request (its channel closed): %s", e);
        }
    }
}
