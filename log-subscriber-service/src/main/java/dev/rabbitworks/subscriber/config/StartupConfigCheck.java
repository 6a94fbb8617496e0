package dev.rabbitworks.subscriber.config;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Stops the start when the settings are wrong. Runs before the subscriptions start (priority PLATFORM_BEFORE) so
 * that nothing is declared or bound with a bad key.
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
        WrittenKeys keys = WrittenKeys.from(config, subscriber);
        List<String> problems = SubscriberConfigValidator.problems(subscriber, keys.severities(), keys.patterns());
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Invalid log-subscriber-service configuration:\n - "
                    + String.join("\n - ", problems));
        }
    }
}
