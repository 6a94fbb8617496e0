package dev.rabbitworks.subscriber.config;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;

import dev.rabbitworks.subscriber.messaging.LogChannels;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Stops the start when the settings are wrong. Runs before the messaging lifecycle (priority
 * LIBRARY_BEFORE) so that nothing is declared or bound with a bad key.
 */
@ApplicationScoped
public class StartupConfigCheck {

    private final SubscriberConfig subscriber;
    private final Config config;

    StartupConfigCheck(SubscriberConfig subscriber, Config config) {
        this.subscriber = subscriber;
        this.config = config;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        List<String> problems = SubscriberConfigValidator.problems(subscriber,
                routingKeys(LogChannels.DIRECT), routingKeys(LogChannels.TOPIC));
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Invalid log-subscriber-service configuration:\n - "
                    + String.join("\n - ", problems));
        }
    }

    private String routingKeys(String channel) {
        // "#" is the connector's own default when the attribute is missing
        return config.getOptionalValue(LogChannels.attribute(channel, "routing-keys"), String.class).orElse("#");
    }
}
