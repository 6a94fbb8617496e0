package dev.rabbitworks.producer.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.rabbitmq.client.AMQP;

/** The rpc-service's answer: header {@code status} (200, 400, 404), content type and body, as received. */
public record RpcReply(int status, String contentType, byte[] body) {

    /** A reply without a status header is taken as a success (a tutorial-style server sets none). */
    static final int DEFAULT_STATUS = 200;

    static RpcReply of(AMQP.BasicProperties properties, byte[] body) {
        return new RpcReply(statusOf(properties.getHeaders()), properties.getContentType(), body);
    }

    /** Reads the status header whatever integer or text type the replying client used. */
    static int statusOf(Map<String, Object> headers) {
        Object status = headers == null ? null : headers.get("status");
        if (status == null) {
            return DEFAULT_STATUS;
        }
        if (status instanceof Number number) {
            return number.intValue();
        }
        String text = status instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : status.toString();
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
