package dev.rabbitworks.broker;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * A service's one connection to the broker, named "&lt;application&gt; &lt;host&gt;" (or
 * {@code rabbitmq-connection-name}). Connecting happens in the background, retried every reconnect interval, so the
 * service starts (and stays live) while the broker is down; after the first success {@link BrokerConnected} is
 * fired and the client's automatic recovery restores the connection, its channels, consumers and declarations.
 * Tracks whether the broker blocks publishing (a resource alarm) and gives the services one scheduler thread for
 * their broker work, off the connection's I/O thread.
 */
@ApplicationScoped
public class BrokerConnection {

    private static final Logger LOG = Logger.getLogger(BrokerConnection.class);

    private final ConnectionFactory factory;
    private final List<Address> addresses;
    private final String broker;
    private final String connectionName;
    private final Duration reconnectInterval;
    private final Event<BrokerConnected> connected;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("broker-connector"));

    private volatile Connection connection;
    private volatile boolean stopped;
    /** The broker's reason while it blocks this connection's publishes (memory or disk alarm), else null. */
    private volatile String blockedReason;
    private int failedAttempts;

    public BrokerConnection(BrokerConnectionFactory factories,
            @ConfigProperty(name = "quarkus.application.name") String application,
            @ConfigProperty(name = "rabbitmq-connection-name") Optional<String> name,
            Event<BrokerConnected> connected) {
        this.reconnectInterval = factories.reconnectInterval();
        this.connected = connected;
        this.connectionName = name.filter(n -> !n.isBlank()).orElse(application + " " + HostName.current());
        this.factory = factories.recovering();
        this.addresses = factories.addresses();
        this.broker = factories.describe();
    }

    void onStart(@Observes StartupEvent event) {
        scheduler.execute(this::connect);
    }

    /**
     * Last of the shutdown steps (services stop consuming and finish their work before): a clean close, so the
     * broker handles what was published before it answers close-ok; unacked deliveries go back to their queues.
     */
    void onStop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        stopped = true;
        scheduler.shutdownNow();
        Connection current = connection;
        if (current != null) {
            try {
                current.close(2_000);
            } catch (IOException | RuntimeException e) {
                current.abort(1_000);
            }
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
            opened = factory.newConnection(addresses, connectionName);
        } catch (IOException | TimeoutException | RuntimeException e) {
            // Log the first failure loudly, then quietly: the outage is already known.
            if (failedAttempts++ == 0) {
                LOG.warnf("broker at %s unreachable (%s); retrying every %s", broker, e.toString(), reconnectInterval);
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
        LOG.infof("connected to the broker node at %s as %s (configured: %s)", nodeOf(opened), connectionName, broker);
        connected.fire(new BrokerConnected(opened));
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
            LOG.infof("connection to the broker recovered, now to the node at %s", nodeOf((Connection) recoverable));
        }
    }

    /** The address:port of the node a connection is on (with several addresses, any of them; a recovery may move). */
    private static String nodeOf(Connection connection) {
        return connection.getAddress().getHostAddress() + ":" + connection.getPort();
    }
}
