package dev.rabbitworks.subscriber.it;

import java.util.Map;
import java.util.UUID;

import dev.rabbitworks.subscriber.messaging.LogChannels;
import dev.rabbitworks.testing.AmqpTestClient;
import dev.rabbitworks.testing.BrokerSettings;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives the application a fresh subscription name, and deletes that subscription's durable queues once the
 * application has stopped (they outlive it by design).
 */
public class DurableSubscription implements QuarkusTestResourceLifecycleManager {

    private String name;
    private BrokerSettings broker;

    @Override
    public Map<String, String> start() {
        name = "test-subscription-" + UUID.randomUUID();
        broker = BrokerSettings.fromConfig();
        return Map.of("subscriber.subscription-name", name);
    }

    @Override
    public void stop() {
        try (AmqpTestClient client = AmqpTestClient.connect(broker, null, null)) {
            for (String channel : LogChannels.ALL) {
                client.deleteQueue(name + "." + channel);
            }
        }
    }
}
