package dev.rabbitworks.worker.messaging;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;

import dev.rabbitworks.broker.BrokerConnected;
import io.smallrye.mutiny.Uni;

/**
 * Open unless the broker blocks this connection's publishers (a memory or disk alarm: connection.blocked). RabbitMQ
 * blocks a connection, and says so, at its first publish after the alarm went off, and from then on reads nothing
 * from it, acks, nacks and cancels included, until the alarm clears. So once closed, nothing more is published: a
 * task whose settlement needs a publish (a retry, a dead letter, a confirmed final event) waits here, unacked, and
 * the task consumer hears when it closes and opens.
 */
@ApplicationScoped
public class PublishGate {

    /** Told on the connection's I/O thread: hand anything that calls the broker to another thread. */
    public interface Listener {
        void closed(String reason);

        void opened();
    }

    private static final Uni<Void> OPEN = Uni.createFrom().voidItem();

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** The broker's reason while it blocks us, else null. */
    private volatile String blockedReason;
    /** Completed when the gate opens; a fresh one each time it closes. */
    private volatile CompletableFuture<Void> opening = CompletableFuture.completedFuture(null);

    /** Before the publishers and the consumer open their channels (lower priorities run first). */
    void onConnected(@Observes @Priority(5) BrokerConnected event) {
        Connection connection = event.connection();
        connection.addBlockedListener(this::close, this::open);
        ((Recoverable) connection).addRecoveryListener(new RecoveryListener() {
            @Override
            public void handleRecoveryStarted(Recoverable recoverable) {
                // A new connection starts unblocked; the broker says connection.blocked again if the alarm is on.
                open();
            }

            @Override
            public void handleRecovery(Recoverable recoverable) {
                // nothing more: open since the recovery started
            }
        });
    }

    public void listen(Listener listener) {
        listeners.add(listener);
    }

    public boolean isOpen() {
        return blockedReason == null;
    }

    public Optional<String> blockedReason() {
        return Optional.ofNullable(blockedReason);
    }

    /** Completes at once while open, else when the broker unblocks (or the connection is replaced). */
    public Uni<Void> whenOpen() {
        CompletableFuture<Void> current = opening;
        return current.isDone() ? OPEN : Uni.createFrom().completionStage(current);
    }

    /** Completed when the gate is open (at once if it is). */
    CompletableFuture<Void> untilOpen() {
        return opening;
    }

    /** connection.blocked; package-private so tests can play the broker without raising an alarm on it. */
    void close(String reason) {
        synchronized (this) {
            if (blockedReason == null) {
                opening = new CompletableFuture<>();
            }
            blockedReason = reason;
        }
        listeners.forEach(listener -> listener.closed(reason));
    }

    /** connection.unblocked, or a new connection. */
    void open() {
        CompletableFuture<Void> waiting;
        synchronized (this) {
            if (blockedReason == null) {
                return;
            }
            blockedReason = null;
            waiting = opening;
        }
        listeners.forEach(Listener::opened);
        waiting.complete(null);
    }
}
