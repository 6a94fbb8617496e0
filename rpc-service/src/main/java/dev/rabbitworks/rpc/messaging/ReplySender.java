package dev.rabbitworks.rpc.messaging;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import dev.rabbitworks.rpc.config.RpcConfig;
import dev.rabbitworks.rpc.procedure.Reply;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/**
 * Publishes replies through the default exchange to the request's reply_to, confirmed by the broker.
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

    public ReplySender(@Channel("rpc-replies") MutinyEmitter<byte[]> replies, RpcConfig config) {
        this.replies = replies;
        this.timeout = config.replyTimeout();
    }

    /**
     * Completes once the broker confirmed the reply; fails with {@link ReplyTimeoutException} when
     * no confirm came within rpc.reply-timeout (a send never completes while the broker is
     * unreachable), or with the broker's refusal.
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
