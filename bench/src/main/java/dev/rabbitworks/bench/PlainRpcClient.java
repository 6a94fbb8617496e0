package dev.rabbitworks.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

/**
 * A hand-written client on the amqp-client alone (the tutorial's RPCClient with direct reply-to), sending the same
 * request as the producer-service (transient, a fresh correlation id, header procedure, expiration) to our
 * rpc-service: the RPC scenario's extra row, our rpc-service without the HTTP hop. (The baseline is
 * {@link RawRpcPair}.)
 */
final class PlainRpcClient implements AutoCloseable {

    private static final String REPLY_TO = "amq.rabbitmq.reply-to";

    private final Connection connection;
    private final Channel channel;
    private final String queue;
    private final Map<String, CompletableFuture<byte[]>> waiting = new ConcurrentHashMap<>();

    PlainRpcClient(Broker broker, String queue) throws IOException, TimeoutException {
        this.connection = broker.factory().newConnection("bench-plain-rpc-client");
        this.channel = connection.createChannel();
        this.queue = queue;
        channel.basicConsume(REPLY_TO, true, (tag, delivery) -> {
            CompletableFuture<byte[]> call = waiting.remove(delivery.getProperties().getCorrelationId());
            if (call != null) {
                call.complete(delivery.getBody());
            }
        }, tag -> {
        });
    }

    CompletableFuture<byte[]> call(String procedure, byte[] argument) throws IOException {
        String correlationId = UUID.randomUUID().toString();
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        waiting.put(correlationId, reply);
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().deliveryMode(1)
                .correlationId(correlationId).replyTo(REPLY_TO)
                .expiration("5000").contentType("text/plain").headers(Map.of("procedure", procedure)).build();
        synchronized (channel) {
            channel.basicPublish("", queue, properties, argument);
        }
        return reply;
    }

    /** {@code concurrency} blocking callers for warm-up + measure (see {@link BlockingLoad}). */
    HttpLoad.Result load(String procedure, String argument, int concurrency, Duration warmup, Duration measure)
            throws InterruptedException {
        byte[] body = argument.getBytes(StandardCharsets.UTF_8);
        return BlockingLoad.run(() -> call(procedure, body).get(5, TimeUnit.SECONDS), concurrency, warmup, measure,
                "plain-rpc");
    }

    @Override
    public void close() {
        try {
            connection.close(5_000);
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
    }
}
