package dev.rabbitworks.rpc.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;

import dev.rabbitworks.testing.AmqpTestClient;

/**
 * A client like the tutorials' pika RPC client: a temporary reply queue, requests on the default
 * exchange with reply_to and correlation_id, no content type.
 */
public final class RpcCaller {

    static final Duration REPLY_WAIT = Duration.ofSeconds(10);

    private final AmqpTestClient client;
    private final String rpcQueue = ConfigProvider.getConfig().getValue("topology.rpc-queue", String.class);

    public RpcCaller(AmqpTestClient client) {
        this.client = client;
    }

    String rpcQueue() {
        return rpcQueue;
    }

    /** The request's properties: reply_to, a fresh correlation id, the procedure header when given. */
    static AMQP.BasicProperties request(String replyTo, String procedure) {
        Map<String, Object> headers = new HashMap<>();
        if (procedure != null) {
            headers.put("procedure", procedure);
        }
        return new AMQP.BasicProperties.Builder()
                .replyTo(replyTo)
                .correlationId(UUID.randomUUID().toString())
                .headers(headers)
                .build();
    }

    void publish(AMQP.BasicProperties properties, byte[] body) {
        client.publish("", rpcQueue, properties, body);
    }

    /** Sends one request (procedure may be null) and waits for the reply. */
    public Call call(String procedure, String body) {
        return call(procedure, body.getBytes(StandardCharsets.UTF_8));
    }

    Call call(String procedure, byte[] body) {
        String replyQueue = client.declareTemporaryQueue();
        AMQP.BasicProperties request = request(replyQueue, procedure);
        publish(request, body);
        return new Call(request, client.awaitMessage(replyQueue, REPLY_WAIT));
    }

    public record Call(AMQP.BasicProperties request, GetResponse reply) {

        public String body() {
            return new String(reply.getBody(), StandardCharsets.UTF_8);
        }

        int status() {
            return ((Number) reply.getProps().getHeaders().get("status")).intValue();
        }

        String contentType() {
            return reply.getProps().getContentType();
        }

        String correlationId() {
            return reply.getProps().getCorrelationId();
        }
    }
}
