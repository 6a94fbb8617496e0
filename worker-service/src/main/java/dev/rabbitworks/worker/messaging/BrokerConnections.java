package dev.rabbitworks.worker.messaging;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.rabbitmq.client.ConnectionFactory;

import dev.rabbitworks.worker.config.WorkerIdentity;

/**
 * The broker settings of the worker's amqp-client connections (the task consumer, the events, the retries), from
 * {@code RABBITMQ_HOST/PORT/USERNAME/PASSWORD/VIRTUAL_HOST}; each connection is named
 * "worker-service &lt;instance&gt; &lt;purpose&gt;", so operators and tests find it in the management UI.
 */
@ApplicationScoped
public class BrokerConnections {

    static final String CONNECTION_NAME_PREFIX = "worker-service";
    /** Pause between connection attempts, at start and in the client's automatic recovery. */
    static final long RETRY_SECONDS = 2;

    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final String virtualHost;
    private final String instance;

    public BrokerConnections(
            @ConfigProperty(name = "rabbitmq-host", defaultValue = "localhost") String host,
            @ConfigProperty(name = "rabbitmq-port", defaultValue = "5672") int port,
            @ConfigProperty(name = "rabbitmq-username", defaultValue = "guest") String username,
            @ConfigProperty(name = "rabbitmq-password", defaultValue = "guest") String password,
            @ConfigProperty(name = "rabbitmq-virtual-host", defaultValue = "/") String virtualHost,
            WorkerIdentity identity) {
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.virtualHost = virtualHost;
        this.instance = identity.instanceName();
    }

    /** A factory for this broker; recovery and timeouts are the caller's to set. */
    public ConnectionFactory factory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(virtualHost);
        return factory;
    }

    /**
     * A factory for a connection kept by the client's automatic recovery (every {@link #RETRY_SECONDS} s, without
     * limit), which declares again what was declared on it and consumes again.
     */
    public ConnectionFactory recoveringFactory() {
        ConnectionFactory factory = factory();
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(TimeUnit.SECONDS.toMillis(RETRY_SECONDS));
        factory.setRequestedHeartbeat(30);
        return factory;
    }

    public String connectionName(String purpose) {
        return CONNECTION_NAME_PREFIX + " " + instance + " " + purpose;
    }
}
