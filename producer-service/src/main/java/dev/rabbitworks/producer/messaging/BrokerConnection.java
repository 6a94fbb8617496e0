package dev.rabbitworks.producer.messaging;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;

import dev.rabbitworks.producer.config.ProducerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The producer's one connection to the broker. Connecting happens in the background, so the service
 * starts (and stays live) while the broker is down; after the first success the client's automatic
 * recovery restores the connection, its channels, consumers and declared topology.
 */
@ApplicationScoped
public class BrokerConnection {

    private static final Logger LOG = Logger.getLogger(BrokerConnection.class);
    static final String NAME_PREFIX = "producer-service-";

    private final ConnectionFactory factory;
    private final String connectionName;
    private final Duration reconnectInterval;
    private final TopologyDeclarer topology;
    private final Event<BrokerConnected> connected;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "producer-broker-connector");
        thread.setDaemon(true);
        return thread;
    });

    private volatile Connection connection;
    private volatile Channel topologyChannel;
    private volatile boolean stopped;
    /** The broker's reason while it blocks this connection's publishes (memory or disk alarm), else null. */
    private volatile String blockedReason;
    private int failedAttempts;

    public BrokerConnection(
            @ConfigProperty(name = "rabbitmq-host", defaultValue = "localhost") String host,
            @ConfigProperty(name = "rabbitmq-port", defaultValue = "5672") int port,
            @ConfigProperty(name = "rabbitmq-username", defaultValue = "guest") String username,
            @ConfigProperty(name = "rabbitmq-password", defaultValue = "guest") String password,
            @ConfigProperty(name = "rabbitmq-virtual-host", defaultValue = "/") String virtualHost,
            ProducerConfig config, TopologyDeclarer topology, Event<BrokerConnected> connected) {
        this.reconnectInterval = config.reconnectInterval();
        this.topology = topology;
        this.connected = connected;
        this.connectionName = NAME_PREFIX + hostname();
        this.factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(virtualHost);
        factory.setConnectionTimeout(5_000);
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(reconnectInterval.toMillis());
        // The default handler closes a channel when a consumer throws; log instead and keep it.
        factory.setExceptionHandler(new ForgivingExceptionHandler());
    }

    void onStart(@Observes StartupEvent event) {
        scheduler.execute(this::connect);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        scheduler.shutdownNow();
        Connection current = connection;
        if (current != null) {
            current.abort(2_000);
        }
    }

    /** True while the connection is open (false before the first connect and while recovering). */
    public boolean isOpen() {
        Connection current = connection;
        return current != null && current.isOpen();
    }

    public Optional<Connection> connection() {
        return Optional.ofNullable(connection);
    }

    public String connectionName() {
        return connectionName;
    }

    public Duration reconnectInterval() {
        return reconnectInterval;
    }

    /** Runs {@code task} later on the connector thread: never block the connection's I/O thread with broker calls. */
    public void runLater(Runnable task) {
        submit(() -> scheduler.schedule(task, reconnectInterval.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Runs {@code task} on the connector thread every {@code interval} from now on (until the service stops). */
    public void every(Duration interval, Runnable task) {
        // A periodic task that throws is never run again: log and go on instead.
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warnf(e, "periodic broker task failed; it runs again in %s", interval);
            }
        };
        submit(() -> scheduler.scheduleWithFixedDelay(guarded, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS));
    }

    /**
     * The broker's reason while it refuses to read this connection's publishes (a memory or disk alarm:
     * connection.blocked); empty otherwise. A publish written then would wait, and block its thread, until
     * the alarm clears.
     */
    public Optional<String> blockedReason() {
        return Optional.ofNullable(blockedReason);
    }

    /** Runs {@code task} now on the connector thread. */
    public void runNow(Runnable task) {
        submit(() -> scheduler.execute(task));
    }

    /** Declares the topology again, e.g. after a publish found an exchange missing (deleted at run time). */
    public void redeclareTopology() {
        runNow(() -> connection().ifPresent(this::declareTopology));
    }

    private void submit(Runnable submission) {
        if (!stopped) {
            try {
                submission.run();
            } catch (RejectedExecutionException shuttingDown) {
                // the service is stopping: nothing left to retry
            }
        }
    }

    private void connect() {
        if (stopped) {
            return;
        }
        Connection opened;
        try {
            opened = factory.newConnection(connectionName);
        } catch (IOException | TimeoutException | RuntimeException e) {
            // Log the first failure loudly, then quietly: the outage is already known.
            if (failedAttempts++ == 0) {
                LOG.warnf("broker at %s:%d unreachable (%s); retrying every %s", factory.getHost(), factory.getPort(),
                        e.toString(), reconnectInterval);
            } else {
                LOG.debugf("broker still unreachable: %s", e);
            }
            runLater(this::connect);
            return;
        }
        ((Recoverable) opened).addRecoveryListener(new RecoveryLogger());
        opened.addBlockedListener(reason -> {
            blockedReason = reason;
            LOG.warnf("the broker blocks publishing (%s): publishes get 503 until it unblocks", reason);
        }, () -> {
            blockedReason = null;
            LOG.info("the broker unblocked publishing");
        });
        connection = opened;
        LOG.infof("connected to the broker at %s:%d vhost %s as %s", factory.getHost(), factory.getPort(),
                factory.getVirtualHost(), connectionName);
        declareTopology(opened);
        connected.fire(new BrokerConnected(opened));
    }

    private void declareTopology(Connection opened) {
        try {
            Channel channel = topologyChannel;
            if (channel == null || !channel.isOpen()) {
                // Kept open: topology recovery re-declares through the channel that declared.
                channel = opened.createChannel();
                topologyChannel = channel;
            }
            topology.declare(channel);
        } catch (IOException | RuntimeException e) {
            LOG.errorf("could not declare the topology (does an existing queue or exchange have other arguments?"
                    + " see docs/messaging-contract.md): %s", causeOf(e));
        }
    }

    private static String causeOf(Throwable e) {
        return e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
    }

    private static String hostname() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private final class RecoveryLogger implements RecoveryListener {
        @Override
        public void handleRecoveryStarted(Recoverable recoverable) {
            // A new connection starts unblocked; the broker says connection.blocked again if the alarm is still on.
            blockedReason = null;
            LOG.warn("connection to the broker lost; recovering");
        }

        @Override
        public void handleRecovery(Recoverable recoverable) {
            LOG.info("connection to the broker recovered");
        }
    }
}
