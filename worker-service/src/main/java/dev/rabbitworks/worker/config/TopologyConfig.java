package dev.rabbitworks.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The broker names this service uses, shared with the other services (docs/messaging-contract.md, env
 * {@code TOPOLOGY_*}). The connector channels in application.properties read the same keys.
 */
@ConfigMapping(prefix = "topology")
public interface TopologyConfig {

    /** The work queue (quorum). */
    @WithDefault("task_queue")
    String taskQueue();

    /** Where tasks go when they cannot be done. */
    @WithDefault("task_queue.dlx")
    String deadLetterExchange();

    /** The dead tasks, kept for inspection. */
    @WithDefault("task_queue.dead")
    String deadLetterQueue();

    /** Redeliveries of a task before the queue dead-letters it (quorum queue x-delivery-limit). */
    @WithDefault("3")
    long taskDeliveryLimit();

    /** Topic exchange the task events are published to. */
    @WithDefault("topic_logs")
    String topicExchange();
}
