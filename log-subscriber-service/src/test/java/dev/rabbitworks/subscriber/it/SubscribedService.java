package dev.rabbitworks.subscriber.it;

import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.rabbitworks.subscriber.messaging.LogChannels;
import dev.rabbitworks.testing.AmqpTestClient;

/**
 * What every test of the running service needs: a client to publish with (opened once per class), and, before each
 * test, the service consuming on every subscription its settings switch on, so that nothing is published before a
 * queue is bound. Register it after {@code @QuarkusTest} (a static {@code @RegisterExtension} field), so that the
 * service and its broker settings are there first.
 */
public final class SubscribedService implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private AmqpTestClient broker;
    private ServiceQueues queues;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = AmqpTestClient.connect();
        queues = new ServiceQueues();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        queues.awaitConsumed(enabledChannels().toArray(String[]::new));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
        }
    }

    /** A client of the test broker, for publishing as any client would. */
    public AmqpTestClient broker() {
        return broker;
    }

    /** What the broker says about the service's queues and connections. */
    public ServiceQueues queues() {
        return queues;
    }

    /** Publishes a UTF-8 body without content type (as pika does), confirmed by the broker. */
    public void publishText(String exchange, String routingKey, String body) {
        broker.publishText(exchange, routingKey, body);
    }

    /** The channels that {@code subscriber.fanout}, {@code .direct} and {@code .topic} switch on. */
    public static List<String> enabledChannels() {
        return LogChannels.ALL.stream().filter(channel -> ConfigProvider.getConfig()
                .getOptionalValue("subscriber." + channel, Boolean.class).orElse(true)).toList();
    }
}
