package dev.rabbitworks.broker;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Broker names shared by all services (docs/messaging-contract.md), env {@code TOPOLOGY_*}; declared with their
 * arguments through {@link MessagingContract}.
 */
@ConfigMapping(prefix = "topology")
public interface TopologyConfig {

    /** The durable quorum work queue tasks are published to. */
    @WithDefault("task_queue")
    String taskQueue();

    /** The exchange failed tasks are dead-lettered to. */
    @WithDefault("task_queue.dlx")
    String deadLetterExchange();

    /** The queue keeping dead-lettered tasks (also its routing key on the dead-letter exchange). */
    @WithDefault("task_queue.dead")
    String deadLetterQueue();

    /** Redeliveries of a task before it is dead-lettered (x-delivery-limit). */
    @WithDefault("3")
    long taskDeliveryLimit();

    /** The fanout exchange of POST /broadcast. */
    @WithDefault("logs")
    String fanoutExchange();

    /** The direct exchange of POST /logs/{severity}. */
    @WithDefault("direct_logs")
    String directExchange();

    /** The topic exchange of POST /events/{routingKey}. */
    @WithDefault("topic_logs")
    String topicExchange();

    /** The queue RPC requests are sent to (declared by the rpc-service, never by the producer). */
    @WithDefault("rpc_queue")
    String rpcQueue();

    /**
     * The request queue's type: unset (a classic queue, no arguments: docs/decisions.md says why) or e.g. quorum,
     * sent as x-queue-type. The type of an existing queue cannot change: delete it first.
     */
    Optional<String> rpcQueueType();

    /** The stream keeping every task lifecycle event for replay (bound to the topic exchange with task.#). */
    @WithDefault("task_events")
    String taskEventsStream();

    /** How long the stream keeps events (x-max-age: a number and Y, M, D, h, m or s, e.g. 7D). */
    @WithDefault("7D")
    String taskEventsMaxAge();

    /** How many bytes of events the stream keeps at most (x-max-length-bytes); the oldest segments go first. */
    @WithDefault("1000000000")
    long taskEventsMaxBytes();
}
