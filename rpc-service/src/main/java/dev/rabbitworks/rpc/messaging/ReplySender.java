package dev.rabbitworks.rpc.messaging;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import dev.rabbitworks.rpc.config.RpcConfig;
import dev.rabbitworks.rpc.config.RpcConfigValidator;
import dev.rabbitworks.rpc.procedure.Reply;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/**
 * Publishes replies through the default exchange to the request's reply_to, without waiting for a
 * publisher confirm: a confirm would only tell the service, not the caller, and an unconfirmed reply
 * leaves the request dropped just like a lost one. Waiting for it held later requests for the whole
 * reply timeout whenever the reply connection was closed under a reply, because the connector forgets
 * pending confirms when it reconnects.
 * <p>
 * Up to rpc.prefetch replies may be handed over at once (requests run concurrently) while the connector
 * writes one at a time: the emitter's buffer holds as many as the largest prefetch allowed
 * ({@link RpcConfigValidator#PREFETCH_LIMIT}), so a burst never overflows it.
 * <p>
 * Replies are transient (delivery mode 1): they go to a direct reply-to pseudo-queue or an exclusive
 * temporary queue, which do not survive a broker restart anyway, and a caller waits for them only
 * a few seconds; persisting them would cost disk writes for nothing.
 */
@ApplicationScoped
public class ReplySender {

    public static final String STATUS_HEADER = "status";
    private static final int TRANSIENT = 1;

    private final MutinyEmitter<byte[]> replies;
    private final Duration timeout;

    public ReplySender(@Channel("rpc-replies") @OnOverflow(value = OnOverflow.Strategy.BUFFER,
            bufferSize = RpcConfigValidator.PREFETCH_LIMIT) MutinyEmitter<byte[]> replies, RpcConfig config) {
        this.replies = replies;
        this.timeout = config.replyTimeout();
    }

    /**
     * Completes once the reply was written to the reply connection; fails with
     * {@link ReplyTimeoutException} when that did not happen within rpc.reply-timeout (the connector
     * holds a reply while it reconnects, for as long as the broker is unreachable).
     * {@code replyTo} and {@code correlationId} must fit an AMQP short string ({@link ShortString}).
     */
    public Uni<Void> send(String replyTo, Optional<String> correlationId, Reply reply) {
        OutgoingRabbitMQMetadata.Builder metadata = OutgoingRabbitMQMetadata.builder()
                .withRoutingKey(replyTo)
                .withContentType(reply.contentType())
                .withHeader(STATUS_HEADER, reply.status())
                .withDeliveryMode(TRANSIENT);
        correlationId.ifPresent(metadata::withCorrelationId);
        return replies.sendMessage(Message.of(reply.body(), Metadata.of(metadata.build())))
                .ifNoItem().after(timeout).failWith(() -> new ReplyTimeoutException(timeout));
    }
}
