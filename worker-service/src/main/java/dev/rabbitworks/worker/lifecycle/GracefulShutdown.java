package dev.rabbitworks.worker.lifecycle;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;

/**
 * On SIGTERM, lets the task in hand finish and be acked while the broker connection is still open
 * ({@code BrokerConnection} closes it last, after this). A task that does not finish within
 * {@code quarkus.shutdown.timeout} stays unacked and the broker hands it to another worker when the connection
 * closes. Tasks delivered during the drain are not started; they go back to the queue the same way.
 */
@ApplicationScoped
public class GracefulShutdown {

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);

    private final InFlightTasks inFlight;
    private final Duration timeout;

    public GracefulShutdown(InFlightTasks inFlight,
            @ConfigProperty(name = "quarkus.shutdown.timeout") Optional<Duration> shutdownTimeout) {
        this.inFlight = inFlight;
        this.timeout = shutdownTimeout.orElse(Duration.ZERO);
    }

    void onShutdown(@Observes ShutdownEvent event) {
        int inProgress = inFlight.inProgress();
        if (inProgress > 0) {
            LOG.infof("shutting down: waiting up to %s for %d task(s) in progress", timeout, inProgress);
        }
        try {
            if (!inFlight.drain(timeout)) {
                LOG.warnf("shutting down with %d task(s) unfinished; the broker will redeliver them",
                        inFlight.inProgress());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
