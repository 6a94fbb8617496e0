package dev.rabbitworks.worker.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.hibernate.validator.constraints.time.DurationMin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How this worker does its tasks (env {@code WORKER_*}). Bean Validation checks them at start, so a bad setting
 * stops the service with a message that names it before anything is consumed (prefetch 0 would mean "unlimited" to
 * the broker).
 */
@ConfigMapping(prefix = "worker")
public interface WorkerConfig {

    /** The message of a duration that must be positive. */
    String POSITIVE = "must be at least 1ms";

    /** Unacknowledged tasks the broker may hand this consumer at once (basic.qos); 1 gives fair dispatch. */
    @WithDefault("1")
    @Min(1)
    @Max(65535)
    int prefetch();

    /** Simulated work per '.' in a task body. */
    @WithDefault("1s")
    @DurationMin(millis = 1, message = POSITIVE)
    Duration workUnit();

    /** Name of this instance in events and logs; defaults to the host name (the pod name on Kubernetes). */
    Optional<@Pattern(regexp = ".*\\S.*", message = "must not be blank") String> instanceName();

    /**
     * How long to wait for the broker to confirm what the worker publishes before its ack: a final task event (in
     * the confirmed event delivery) or a failed task sent to its retry queue or to the dead letters; given up on,
     * the task goes back to the work queue instead. Other events are given up on after it, and only logged.
     */
    @WithDefault("5s")
    @DurationMin(millis = 1, message = POSITIVE)
    Duration eventTimeout();

    /**
     * The wait before each retry of a failed task, growing: one retry queue per entry
     * ({@code <task-queue>.retry.1}, ...). A task fails for good, and is dead-lettered, after
     * {@code retry-delays + 1} attempts. At most 10: one queue each.
     */
    @WithDefault("1s,4s,16s")
    @Size(max = 10)
    List<@DurationMin(millis = 1, message = POSITIVE) Duration> retryDelays();

    /**
     * {@code confirmed}: a task's final event is confirmed before its ack (at least once; the task is requeued when
     * it is not). {@code best-effort}: events after the ack, never waited for (faster, may be lost).
     */
    @WithDefault("confirmed")
    EventDelivery eventDelivery();

    /**
     * How long the worker may stay connected to the broker without consuming the work queue (and not paused by a
     * resource alarm) before its liveness goes DOWN, so that Kubernetes restarts it. Meanwhile it tries to consume
     * again every reconnect interval. A broker outage does not count: the connection is down then.
     */
    @WithDefault("60s")
    @DurationMin(millis = 1, message = POSITIVE)
    Duration consumerLostLimit();
}
