package dev.rabbitworks.broker;

import java.util.Optional;

/**
 * The broker names as plain values, for code that has no running application to read {@link TopologyConfig} from:
 * system tests, manifest checks, benchmarks. {@link #DEFAULTS} are the defaults the services ship with.
 */
public record TopologyNames(String taskQueue, String deadLetterExchange, String deadLetterQueue, long taskDeliveryLimit,
        String fanoutExchange, String directExchange, String topicExchange, String rpcQueue, String taskEventsStream,
        String taskEventsMaxAge, long taskEventsMaxBytes) implements TopologyConfig {

    public static final TopologyNames DEFAULTS = new TopologyNames("task_queue", "task_queue.dlx", "task_queue.dead", 3,
            "logs", "direct_logs", "topic_logs", "rpc_queue", "task_events", "7D", 1_000_000_000L);

    /** The contract's request queue: classic, no type argument. */
    @Override
    public Optional<String> rpcQueueType() {
        return Optional.empty();
    }
}
