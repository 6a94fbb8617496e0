package dev.rabbitworks.broker;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;

/**
 * Connection factories for the broker of {@code RABBITMQ_HOST/PORT/USERNAME/PASSWORD/VIRTUAL_HOST}, or of the nodes
 * listed in {@code RABBITMQ_ADDRESSES} ({@code host:port,host:port}, the SmallRye connector's own setting, so every
 * service reads the same list the same way), with the one
 * reconnect policy of every service: {@code RABBITMQ_RECONNECT_INTERVAL} (whole seconds, default 2) between
 * attempts, at start and in the client's automatic recovery. Whole seconds because the services on the SmallRye
 * connector feed the same setting to the connector's {@code reconnect-interval}, which takes seconds.
 */
@ApplicationScoped
public class BrokerConnectionFactory {

    /** How long connecting (TCP and AMQP handshake) may take before the attempt counts as failed. */
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    /** Seconds between heartbeats: a dead peer is noticed within two of them even without a TCP reset. */
    private static final int HEARTBEAT_SECONDS = 30;

    private final List<Address> addresses;
    private final String username;
    private final String password;
    private final String virtualHost;
    private final Duration reconnectInterval;

    public BrokerConnectionFactory(
            @ConfigProperty(name = "rabbitmq-host", defaultValue = "localhost") String host,
            @ConfigProperty(name = "rabbitmq-port", defaultValue = "5672") int port,
            @ConfigProperty(name = "rabbitmq-addresses") Optional<String> addresses,
            @ConfigProperty(name = "rabbitmq-username", defaultValue = "guest") String username,
            @ConfigProperty(name = "rabbitmq-password", defaultValue = "guest") String password,
            @ConfigProperty(name = "rabbitmq-virtual-host", defaultValue = "/") String virtualHost,
            @ConfigProperty(name = "rabbitmq-reconnect-interval", defaultValue = "2") int reconnectSeconds) {
        this.addresses = addresses.filter(list -> !list.isBlank())
                .map(BrokerConnectionFactory::parse)
                .orElse(List.of(new Address(host, port)));
        this.username = username;
        this.password = password;
        this.virtualHost = virtualHost;
        if (reconnectSeconds < 1) {
            throw new IllegalArgumentException("rabbitmq-reconnect-interval must be at least 1 (seconds), got "
                    + reconnectSeconds);
        }
        this.reconnectInterval = Duration.ofSeconds(reconnectSeconds);
    }

    /**
     * A factory (connect with {@link #addresses()}) whose connections recover by themselves after a connection loss, every reconnect interval and
     * without limit, declaring again what was declared on them and consuming again.
     */
    public ConnectionFactory recovering() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(virtualHost);
        factory.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
        factory.setRequestedHeartbeat(HEARTBEAT_SECONDS);
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(reconnectInterval.toMillis());
        // The default handler closes a channel when a consumer throws; log instead and keep it.
        factory.setExceptionHandler(new ForgivingExceptionHandler());
        return factory;
    }

    /**
     * Where to connect. Several addresses: the client tries them in a random order at every connect and every
     * recovery, so replicas spread over the nodes and fail over to another node when theirs goes away.
     */
    public List<Address> addresses() {
        return addresses;
    }

    /** Pause between connection attempts. */
    public Duration reconnectInterval() {
        return reconnectInterval;
    }

    /** "host:port[,host:port...] vhost v", for log lines. */
    public String describe() {
        return String.join(",", addresses.stream().map(Address::toString).toList()) + " vhost " + virtualHost;
    }

    private static List<Address> parse(String list) {
        Address[] parsed = Address.parseAddresses(list);
        for (Address address : parsed) {
            if (address.getHost().isBlank()) {
                throw new IllegalArgumentException("rabbitmq-addresses must be host[:port],host[:port]... got " + list);
            }
        }
        return Arrays.asList(parsed);
    }
}
