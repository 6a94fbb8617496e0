package dev.rabbitworks.rpc.messaging;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;

import dev.rabbitworks.rpc.procedure.Reply;

/**
 * Publishes a reply through the default exchange to the request's reply_to, with the request's correlation id and
 * the {@code status} header, without waiting for a publisher confirm (the channel has none): a confirm would only
 * tell the service, not the caller, and a reply to a direct reply-to pseudo-queue needs none.
 * <p>
 * Replies are transient (delivery mode 1): they go to a direct reply-to pseudo-queue or an exclusive temporary
 * queue, which do not survive a broker restart anyway, and a caller waits for them only a few seconds; persisting
 * them would cost disk writes for nothing.
 */
final class ReplySender {

    static final String STATUS_HEADER = "status";
    private static final int TRANSIENT = 1;

    private ReplySender() {
    }

    /**
     * Writes the reply on {@code channel} (the one its request came on, so the request's ack follows it).
     * {@code replyTo} and {@code correlationId} must fit an AMQP short string ({@link ShortString}): the client
     * library refuses to write one that does not, with an exception and nothing sent.
     */
    static void send(Channel channel, String replyTo, Optional<String> correlationId, Reply reply)
            throws IOException {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType(reply.contentType())
                .headers(Map.of(STATUS_HEADER, reply.status()))
                .deliveryMode(TRANSIENT)
                .correlationId(correlationId.orElse(null))
                .build();
        channel.basicPublish("", replyTo, false, properties, reply.body());
    }
}
