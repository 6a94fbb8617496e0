package dev.rabbitworks.subscriber.messaging;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;

import io.smallrye.reactive.messaging.ClientCustomizer;
import io.vertx.rabbitmq.RabbitMQOptions;

/**
 * Names each channel's broker connection "log-subscriber-service/&lt;channel&gt;@&lt;instance&gt;" (the instance is
 * the host name: the pod name on Kubernetes), so the management UI and tests tell replicas and subscriptions apart.
 * Everything else stays as the connector builds it from the configuration.
 */
@ApplicationScoped
public class ConnectionNameCustomizer implements ClientCustomizer<RabbitMQOptions> {

    public static final String PREFIX = "log-subscriber-service/";

    private final String instance = hostName();

    @Override
    public RabbitMQOptions customize(String channel, Config channelConfig, RabbitMQOptions options) {
        return options.setConnectionName(connectionName(channel, instance));
    }

    public static String connectionName(String channel, String instance) {
        return PREFIX + channel + "@" + instance;
    }

    private static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
