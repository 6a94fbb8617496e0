package dev.rabbitworks.system.support;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.awaitility.Awaitility;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/** Plain AMQP connections for the tests (the services are not the only clients: the tests are raw ones). */
public final class Amqp {

    private Amqp() {
    }

    public static Connection connect(TestBroker.Endpoint endpoint, String vhost, String name) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(endpoint.host());
        factory.setPort(endpoint.amqpPort());
        factory.setUsername(endpoint.username());
        factory.setPassword(endpoint.password());
        factory.setVirtualHost(vhost);
        factory.setConnectionTimeout(3_000);
        factory.setAutomaticRecoveryEnabled(false);
        try {
            return factory.newConnection(name);
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot connect to " + endpoint.host() + ":" + endpoint.amqpPort()
                    + " vhost " + vhost + ": " + e, e);
        }
    }

    /** Waits until the broker accepts an AMQP connection. */
    static void awaitConnectable(TestBroker.Endpoint endpoint, Duration atMost) {
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            try (Connection connection = connect(endpoint, "/", "system-tests-probe")) {
                return connection.isOpen();
            }
        });
    }

    /** Ready messages in a queue, exactly (queue.declare passive), or -1 when it does not exist. */
    public static long depth(Connection connection, String queue) {
        try (Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        } catch (IOException e) {
            return -1; // 404: the passive declare closed the channel
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        } catch (com.rabbitmq.client.AlreadyClosedException e) {
            return -1;
        }
    }
}
