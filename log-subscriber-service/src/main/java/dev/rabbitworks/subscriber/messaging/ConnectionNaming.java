package dev.rabbitworks.subscriber.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;

import io.smallrye.reactive.messaging.ClientCustomizer;
import io.vertx.rabbitmq.RabbitMQOptions;

/**
 * Names each channel's broker connection "log-subscriber-service (channel)" so that operators and tests find
 * it in the management UI/API. A customizer rather than {@code client-options-name}: it keeps every other
 * option (host, credentials, virtual host, reconnects) as the connector builds it from configuration.
 */
@ApplicationScoped
public class ConnectionNaming implements ClientCustomizer<RabbitMQOptions> {

    public static final String PREFIX = "log-subscriber-service";

    @Override
    public RabbitMQOptions customize(String channel, Config channelConfig, RabbitMQOptions options) {
        return options.setConnectionName(connectionName(channel));
    }

    public static String connectionName(String channel) {
        return PREFIX + " (" + channel + ")";
    }
}
