package dev.rabbitworks.broker;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * A {@link ConfirmChannel} kept open on the service's connection: opened (and what it publishes to declared) when
 * the connection is up, opened again when the broker closes it alone (a channel error, e.g. an exchange deleted at
 * run time) or when its confirm tracking discarded it, with its overdue confirms swept every {@code sweep}. After a
 * connection loss the client's recovery restores the channel itself, with its confirm mode and listeners.
 */
public final class PublishingChannel {

    /** What a channel publishes to, declared on it each time it opens. */
    @FunctionalInterface
    public interface Declarations {
        void declareOn(Channel channel) throws IOException;
    }

    private static final Logger LOG = Logger.getLogger(PublishingChannel.class);

    private final BrokerConnection broker;
    private final String purpose;
    private final Duration sweep;
    private final Declarations declarations;
    private volatile ConfirmChannel current;

    /**
     * {@code purpose} names the channel in log lines ("task events"); {@code sweep} is how late a confirm timeout
     * may be noticed.
     */
    public PublishingChannel(BrokerConnection broker, String purpose, Duration sweep, Declarations declarations) {
        this.broker = broker;
        this.purpose = purpose;
        this.sweep = sweep;
        this.declarations = declarations;
    }

    /** Opens the channel on the connection just established; call once, from a {@link BrokerConnected} observer. */
    public void start(Connection connection) {
        open(connection);
        broker.every(sweep, () -> {
            ConfirmChannel channel = current;
            if (channel != null) {
                channel.expire(System.nanoTime());
            }
        });
    }

    /** The channel, while it is open. */
    public Optional<ConfirmChannel> open() {
        ConfirmChannel channel = current;
        return channel != null && channel.isOpen() ? Optional.of(channel) : Optional.empty();
    }

    /** Declares again on the current channel, e.g. after a message came back because its queue was deleted. */
    public void declareAgain() {
        broker.runNow(() -> open().ifPresent(channel -> {
            try {
                declarations.declareOn(channel.channel());
            } catch (IOException | RuntimeException e) {
                LOG.warnf("cannot declare for %s again (%s)", purpose, e.toString());
            }
        }));
    }

    private void open(Connection connection) {
        try {
            ConfirmChannel[] opened = new ConfirmChannel[1];
            opened[0] = ConfirmChannel.open(connection, cause -> onClosed(connection, opened[0], cause));
            declarations.declareOn(opened[0].channel());
            current = opened[0];
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot open the channel for %s yet (%s); retrying", purpose, e.toString());
            broker.runLater(() -> open(connection));
        }
    }

    private void onClosed(Connection connection, ConfirmChannel closed, ShutdownSignalException cause) {
        if (closed == null || closed != current) {
            return; // closed while being opened: open() tries again
        }
        if (closed.isDiscarded() || (!cause.isHardError() && !cause.isInitiatedByApplication())) {
            // At once: publishes are refused until it is back. Should opening fail, open() waits before retrying.
            LOG.warnf("channel for %s closed (%s); opening another", purpose, cause.getMessage());
            broker.runNow(() -> open(connection));
        }
    }
}
