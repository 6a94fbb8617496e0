package dev.rabbitworks.rpc.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.eclipse.microprofile.reactive.messaging.Message;

import dev.rabbitworks.rpc.procedure.RequestArgument;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;

/**
 * One request as read off rpc_queue.
 *
 * @param replyTo where the reply goes (a routing key on the default exchange); empty when the caller gave none
 * @param correlationId copied onto the reply so the caller can match it; empty when the caller gave none
 * @param procedure the {@code procedure} header; empty means the default procedure
 * @param argument the body, still undecoded
 */
public record RpcRequest(Optional<String> replyTo, Optional<String> correlationId, Optional<String> procedure,
        RequestArgument argument) {

    public static final String PROCEDURE_HEADER = "procedure";

    public static RpcRequest from(Message<?> message) {
        IncomingRabbitMQMetadata metadata = message.getMetadata(IncomingRabbitMQMetadata.class)
                .orElseThrow(() -> new IllegalArgumentException("not a RabbitMQ message"));
        return new RpcRequest(
                metadata.getReplyTo().filter(replyTo -> !replyTo.isBlank()),
                metadata.getCorrelationId(),
                Optional.ofNullable(metadata.getHeaders().get(PROCEDURE_HEADER)).map(RpcRequest::headerText),
                new RequestArgument(bodyOf(message.getPayload()), metadata.getContentType(),
                        metadata.getContentEncoding()));
    }

    /** Header strings arrive as String (the connector converts AMQP long strings); anything else is shown as text. */
    private static String headerText(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
    }

    /**
     * The raw body. The channel sets content-type-override=application/octet-stream so the connector
     * hands over the bytes as they came (it would otherwise decode text/plain leniently and parse JSON).
     */
    private static byte[] bodyOf(Object payload) {
        if (payload instanceof byte[] bytes) {
            return bytes;
        }
        if (payload == null) {
            return new byte[0];
        }
        return payload.toString().getBytes(StandardCharsets.UTF_8);
    }
}
