package dev.rabbitworks.subscriber.it;

import java.util.Map;
import java.util.UUID;

import dev.rabbitworks.subscriber.messaging.LogChannels;
import dev.rabbitworks.testing.AmqpTestClient;
import dev.rabbitworks.testing.BrokerSettings;
import io.quarkus.test.common.DevServicesContext;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives the application a fresh subscription name, and deletes that subscription's durable queues once the
 * application has stopped (they outlive it by design).
 */
public class DurableSubscription implements QuarkusTestResourceLifecycleManager, DevServicesContext.ContextAware {

    private Map<String, String> devServices = Map.of();
    private String name;
    private BrokerSettings broker;

    @Override
    public void setIntegrationTestContext(DevServicesContext context) {
        devServices = context.devServicesProperties();
    }

    @Override
    public Map<String, String> start() {
        name = "test-subscription-" + UUID.randomUUID();
        broker = brokerSettings();
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

    /** The broker Dev Services started, as test resources are told of it; else the one of RABBITMQ_*. */
    private BrokerSettings brokerSettings() {
        BrokerSettings configured = BrokerSettings.fromConfig();
        if (!devServices.containsKey("rabbitmq-host")) {
            return configured;
        }
        return new BrokerSettings(devServices.get("rabbitmq-host"), Integer.parseInt(devServices.get("rabbitmq-port")),
                devServices.getOrDefault("rabbitmq-username", configured.username()),
                devServices.getOrDefault("rabbitmq-password", configured.password()), configured.virtualHost(),
                configured.managementPort());
    }
}
