package dev.rabbitworks.rpc.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import com.rabbitmq.client.AMQP;

import dev.rabbitworks.broker.Delivery;
import dev.rabbitworks.rpc.procedure.RequestArgument;

/**
 * One request as read off rpc_queue.
 *
 * @param replyTo where the reply goes (a routing key on the default exchange); empty when the caller gave none
 * @param correlationId copied onto the reply so the caller can match it; empty when the caller gave none
 * @param procedure the {@code procedure} header; empty means the default procedure
 * @param argument the body as it came, still undecoded
 */
public record RpcRequest(Optional<String> replyTo, Optional<String> correlationId, Optional<String> procedure,
        RequestArgument argument) {

    public static final String PROCEDURE_HEADER = "procedure";

    public static RpcRequest from(Delivery delivery) {
        AMQP.BasicProperties properties = delivery.properties();
        Map<String, Object> headers = properties.getHeaders();
        return new RpcRequest(
                Optional.ofNullable(properties.getReplyTo()).filter(replyTo -> !replyTo.isBlank()),
                Optional.ofNullable(properties.getCorrelationId()),
                Optional.ofNullable(headers == null ? null : headers.get(PROCEDURE_HEADER)).map(RpcRequest::headerText),
                new RequestArgument(delivery.body(), Optional.ofNullable(properties.getContentType()),
                        Optional.ofNullable(properties.getContentEncoding())));
    }

    /** Header strings arrive as AMQP long strings (LongString, whose toString decodes UTF-8); anything else as text. */
    private static String headerText(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
    }
}
