package dev.rabbitworks.rpc.messaging;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.rabbitworks.rpc.metrics.RpcMetrics;
import dev.rabbitworks.rpc.procedure.ProcedureDispatcher;
import dev.rabbitworks.rpc.procedure.ProcedureDispatcher.Outcome;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * The RPC server: takes a request from rpc_queue, computes the reply, publishes it to the request's
 * reply_to with the same correlation id, and only then acks the request.
 * <p>
 * Requests that cannot be answered are rejected (nack without requeue; rpc_queue has no dead-letter
 * exchange, so they are dropped), never requeued: a request without reply_to, or with one no reply may
 * be published to, would come back forever, and a reply that did not go out in time belongs to a
 * caller that has given up by now. A request whose ack is lost with the connection is redelivered and
 * answered again; callers ignore replies whose correlation id they do not wait for.
 * <p>
 * Requests are handled concurrently, up to rpc.prefetch at once per replica (the consumer's basic.qos): each
 * runs on a worker thread ({@code @Blocking(ordered = false)}), is acked (multiple=false) when its own reply
 * went out, and replies may leave in another order than their requests came (callers match them by
 * correlation id). A method returning a {@code Uni} would be run one request at a time by the connector, so
 * one replica's throughput would not grow with its callers. Replies are still checked before publishing (a
 * bad reply_to would cost the reply connection) and not held for a confirm.
 */
@ApplicationScoped
public class RpcServer {

    private static final Logger LOG = Logger.getLogger(RpcServer.class);

    private final ProcedureDispatcher dispatcher;
    private final ReplySender replies;
    private final RpcMetrics metrics;

    public RpcServer(ProcedureDispatcher dispatcher, ReplySender replies, RpcMetrics metrics) {
        this.dispatcher = dispatcher;
        this.replies = replies;
        this.metrics = metrics;
    }

    /**
     * Runs on a worker thread, up to rpc.prefetch at once. The returned stage never fails and always completes:
     * the messaging layer holds one of its concurrent slots until it does, and ignores a failure (so a failed
     * stage would hold the slot for ever).
     */
    @Incoming("rpc-requests")
    @Blocking(ordered = false)
    public CompletionStage<Void> onRequest(Message<byte[]> message) {
        try {
            return handle(message).subscribeAsCompletionStage();
        } catch (RuntimeException e) {
            LOG.error("could not handle a request", e);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Never fails. */
    private Uni<Void> handle(Message<byte[]> message) {
        RpcRequest request;
        try {
            request = RpcRequest.from(message);
        } catch (RuntimeException e) {
            LOG.error("rejecting an unreadable request", e);
            return reject(message, e);
        }
        if (request.replyTo().isEmpty()) {
            LOG.warnf("rejecting a request without reply_to (correlation id %s): there is nobody to answer",
                    LogSafe.of(request.correlationId()));
            metrics.requestUnanswered(RpcMetrics.MISSING_REPLY_TO);
            return reject(message, new MissingReplyToException());
        }
        String replyTo = request.replyTo().get();
        Optional<String> replyToProblem = ReplyToValidator.problem(replyTo);
        if (replyToProblem.isPresent()) {
            return refuse(message, request, RpcMetrics.INVALID_REPLY_TO, replyToProblem.get());
        }
        if (request.correlationId().filter(id -> !ShortString.fits(id)).isPresent()) {
            return refuse(message, request, RpcMetrics.INVALID_CORRELATION_ID,
                    "correlation_id is longer than " + ShortString.MAX_BYTES + " bytes once decoded");
        }
        // Already on a worker thread: a large fib does not hold the connector's event loop.
        return Uni.createFrom().item(() -> compute(request))
                .chain(outcome -> replies.send(replyTo, request.correlationId(), outcome.reply()))
                .onItemOrFailure().transformToUni((sent, failure) -> {
                    if (failure == null) {
                        return Uni.createFrom().completionStage(message::ack);
                    }
                    return replyFailed(message, request, failure);
                })
                .onFailure().recoverWithUni(failure -> {
                    LOG.error("could not settle a request", failure);
                    return Uni.createFrom().voidItem();
                });
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
    private Uni<Void> refuse(Message<byte[]> message, RpcRequest request, String metricReason, String problem) {
        LOG.warnf("rejecting request %s with reply_to %s: %s", LogSafe.of(request.correlationId()),
                LogSafe.of(request.replyTo()), problem);
        metrics.requestUnanswered(metricReason);
        return reject(message, new UnanswerableRequestException(problem));
    }

    private Uni<Void> replyFailed(Message<byte[]> message, RpcRequest request, Throwable failure) {
        boolean timedOut = failure instanceof ReplyTimeoutException;
        metrics.requestUnanswered(timedOut ? RpcMetrics.REPLY_TIMEOUT : RpcMetrics.REPLY_FAILED);
        LOG.warnf("rejecting request %s: its reply to %s did not go out: %s", LogSafe.of(request.correlationId()),
                LogSafe.of(request.replyTo()), failure.getMessage());
        return reject(message, failure);
    }

    /** nack with the channel's failure strategy, reject: requeue=false. */
    private static Uni<Void> reject(Message<byte[]> message, Throwable reason) {
        return Uni.createFrom().completionStage(() -> message.nack(reason))
                .onFailure().recoverWithUni(failure -> {
                    LOG.error("could not reject a request", failure);
                    return Uni.createFrom().voidItem();
                });
    }
}
