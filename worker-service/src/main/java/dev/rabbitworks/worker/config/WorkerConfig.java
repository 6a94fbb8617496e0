package dev.rabbitworks.worker.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How this worker does its tasks (env {@code WORKER_*}). Checked at start by {@link WorkerConfigValidator}. */
@ConfigMapping(prefix = "worker")
public interface WorkerConfig {

    /** Unacknowledged tasks the broker may hand this consumer at once (basic.qos); 1 gives fair dispatch. */
    @WithDefault("1")
    int prefetch();

    /** Simulated work per '.' in a task body. */
    @WithDefault("1s")
    Duration workUnit();

    /** Name of this instance in events and logs; defaults to the host name (the pod name on Kubernetes). */
    Optional<String> instanceName();

    /** How long to wait for the broker to confirm a task event before giving up on it (the task is acked anyway). */
    @WithDefault("5s")
    Duration eventTimeout();
}
