package dev.rabbitworks.rpc.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;

import dev.rabbitworks.rpc.config.InstanceName;
import io.smallrye.reactive.messaging.ClientCustomizer;
import io.vertx.rabbitmq.RabbitMQOptions;

/**
 * Names every broker connection of this service "rpc-service/&lt;channel&gt;@&lt;instance&gt;", so the
 * management UI and tests can tell which replica and channel a connection belongs to. A customizer
 * (rather than a client-options bean) keeps everything else the connector builds from config:
 * host, port, credentials and virtual host from RABBITMQ_*, reconnect settings.
 */
@ApplicationScoped
public class ConnectionNameCustomizer implements ClientCustomizer<RabbitMQOptions> {

    public static final String PREFIX = "rpc-service";

    private final InstanceName instanceName;

    public ConnectionNameCustomizer(InstanceName instanceName) {
        this.instanceName = instanceName;
    }

    @Override
    public RabbitMQOptions customize(String channel, Config channelConfig, RabbitMQOptions options) {
        return options.setConnectionName(PREFIX + "/" + channel + "@" + instanceName.value());
    }
}
