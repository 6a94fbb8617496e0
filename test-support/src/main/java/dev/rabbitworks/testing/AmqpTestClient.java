package dev.rabbitworks.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

/**
 * A plain AMQP client for tests: declares what a test owns, publishes as a foreign client would
 * (the tutorials' pika clients) and reads what the services produced. Close it to delete the
 * queues it declared.
 */
public final class AmqpTestClient implements AutoCloseable {

    private final Connection connection;
    private final Channel channel;
    private final java.util.List<String> ownedQueues = new java.util.concurrent.CopyOnWriteArrayList<>();

    private AmqpTestClient(Connection connection) throws IOException {
        this.connection = connection;
        this.channel = connection.createChannel();
    }

    public static AmqpTestClient connect() {
        return connect(BrokerSettings.fromConfig(), null, null);
    }

    /** Connects as the given user (null for the configured one). */
    public static AmqpTestClient connect(BrokerSettings settings, String username, String password) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(settings.host());
        factory.setPort(settings.port());
        factory.setUsername(username != null ? username : settings.username());
        factory.setPassword(password != null ? password : settings.password());
        factory.setVirtualHost(settings.virtualHost());
        try {
            return new AmqpTestClient(factory.newConnection("test-client"));
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot connect to the test broker at " + settings.host() + ":"
                    + settings.port(), e);
        }
    }

    public Channel channel() {
        return channel;
    }

    public Connection connection() {
        return connection;
    }

    /** A fresh, test-owned queue (exclusive to this client, deleted on close). */
    public String declareTemporaryQueue() {
        String name = "test-" + UUID.randomUUID();
        io(() -> channel.queueDeclare(name, false, true, true, Map.of()));
        ownedQueues.add(name);
        return name;
    }

    /** A fresh, test-owned queue bound to {@code exchange} with {@code routingKey}. */
    public String declareBoundQueue(String exchange, String routingKey) {
        String name = declareTemporaryQueue();
        io(() -> channel.queueBind(name, exchange, routingKey));
        return name;
    }

    /** Publishes a UTF-8 body with the given properties (no content type unless given), confirmed. */
    public void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
        io(() -> {
            try (Channel confirmed = connection.createChannel()) {
                confirmed.confirmSelect();
                confirmed.basicPublish(exchange, routingKey, properties, body);
                confirmed.waitForConfirmsOrDie(5_000);
            }
            return null;
        });
    }

    public void publishText(String exchange, String routingKey, String body) {
        publish(exchange, routingKey, new AMQP.BasicProperties.Builder().build(),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** Takes one message from {@code queue} (auto-ack), or null when it is empty. */
    public GetResponse get(String queue) {
        return io(() -> channel.basicGet(queue, true));
    }

    /** Waits until {@code queue} yields a message and returns it. */
    public GetResponse awaitMessage(String queue, Duration atMost) {
        AtomicReference<GetResponse> received = new AtomicReference<>();
        await().atMost(atMost).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    received.set(get(queue));
                    return received.get() != null;
                });
        return received.get();
    }

    public long messageCount(String queue) {
        return io(() -> channel.messageCount(queue));
    }

    public void purge(String queue) {
        io(() -> channel.queuePurge(queue));
    }

    public void deleteQueue(String queue) {
        io(() -> {
            try (Channel c = connection.createChannel()) {
                c.queueDelete(queue);
            }
            return null;
        });
    }

    @Override
    public void close() {
        for (String queue : ownedQueues) {
            try {
                deleteQueue(queue);
            } catch (RuntimeException ignored) {
                // exclusive queues go with the connection anyway
            }
        }
        try {
            connection.close();
        } catch (IOException | RuntimeException ignored) {
            // already closed by the broker or a test
        }
    }

    @FunctionalInterface
    private interface IoCall<T> {
        T call() throws Exception;
    }

    private static <T> T io(IoCall<T> call) {
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
