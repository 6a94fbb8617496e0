package dev.rabbitworks.subscriber.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The exchanges this service binds to, shared with the other services (docs/messaging-contract.md, env TOPOLOGY_*). */
@ConfigMapping(prefix = "topology")
public interface TopologyConfig {

    /** Fanout exchange: every message to every bound queue. */
    @WithDefault("logs")
    String fanoutExchange();

    /** Direct exchange: by severity (exact routing key). */
    @WithDefault("direct_logs")
    String directExchange();

    /** Topic exchange: by pattern (also the worker's task events). */
    @WithDefault("topic_logs")
    String topicExchange();
}
