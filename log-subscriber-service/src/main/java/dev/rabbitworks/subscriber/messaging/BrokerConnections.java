package dev.rabbitworks.subscriber.messaging;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.rabbitmq.client.ConnectionFactory;

/**
 * The broker of {@code RABBITMQ_HOST/PORT/USERNAME/PASSWORD/VIRTUAL_HOST}, for the subscriptions' connections:
 * kept by the client's automatic recovery, which declares again what was declared on them and consumes again.
 */
@ApplicationScoped
public class BrokerConnections {

    /** Pause between connection attempts, at start and in the client's automatic recovery. */
    static final long RETRY_SECONDS = 2;

    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final String virtualHost;

    public BrokerConnections(
            @ConfigProperty(name = "rabbitmq-host", defaultValue = "localhost") String host,
            @ConfigProperty(name = "rabbitmq-port", defaultValue = "5672") int port,
            @ConfigProperty(name = "rabbitmq-username", defaultValue = "guest") String username,
            @ConfigProperty(name = "rabbitmq-password", defaultValue = "guest") String password,
            @ConfigProperty(name = "rabbitmq-virtual-host", defaultValue = "/") String virtualHost) {
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.virtualHost = virtualHost;
    }

    public ConnectionFactory recoveringFactory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(virtualHost);
        factory.setConnectionTimeout(5_000);
        factory.setRequestedHeartbeat(30);
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(TimeUnit.SECONDS.toMillis(RETRY_SECONDS));
        return factory;
    }
}
