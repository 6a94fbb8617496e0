package dev.rabbitworks.testing;

import java.util.Optional;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Where the test broker is: the same {@code rabbitmq-*} settings the services read, so a test
 * talks to the broker the service under test talks to (the one from {@code RABBITMQ_*}, or the
 * one Dev Services started).
 */
public record BrokerSettings(String host, int port, String username, String password, String virtualHost,
        int managementPort) {

    public static BrokerSettings fromConfig() {
        Config config = ConfigProvider.getConfig();
        return new BrokerSettings(
                value(config, "rabbitmq-host").orElse("localhost"),
                value(config, "rabbitmq-port").map(Integer::parseInt).orElse(5672),
                value(config, "rabbitmq-username").orElse("guest"),
                value(config, "rabbitmq-password").orElse("guest"),
                value(config, "rabbitmq-virtual-host").orElse("/"),
                value(config, "rabbitmq-http-port").or(() -> value(config, "rabbitmq-management-port"))
                        .map(Integer::parseInt).orElse(15672));
    }

    private static Optional<String> value(Config config, String key) {
        return config.getOptionalValue(key, String.class).filter(v -> !v.isBlank());
    }
}
