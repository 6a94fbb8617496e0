package dev.rabbitworks.subscriber.config;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What this subscriber listens to and how much it keeps. Checked at start by {@link SubscriberConfigValidator}. */
@ConfigMapping(prefix = "subscriber")
public interface SubscriberConfig {

    /** Bind a queue to the fanout exchange ({@code topology.fanout-exchange}); false: no queue, no consumer. */
    @WithDefault("true")
    boolean fanout();

    /** Bind a queue to the direct exchange ({@code topology.direct-exchange}); false: no queue, no consumer. */
    @WithDefault("true")
    boolean direct();

    /** Severities (exact routing keys) to receive from the direct exchange. */
    @WithDefault("error,warning")
    List<String> severities();

    /** Bind a queue to the topic exchange ({@code topology.topic-exchange}); false: no queue, no consumer. */
    @WithDefault("true")
    boolean topic();

    /** Binding patterns for the topic exchange ({@code *} one word, {@code #} zero or more words). */
    @WithDefault("task.*,*.error,*.critical,kern.#")
    List<String> patterns();

    /**
     * Name of a durable subscription: when set, the queues are {@code <name>.fanout}, {@code <name>.direct} and
     * {@code <name>.topic}, durable and shared, and keep messages while no instance runs. Unset: one exclusive
     * server-named queue per instance and exchange, gone when the instance goes.
     */
    Optional<String> subscriptionName();

    /** Unacked messages the broker may send ahead to each of the three consumers (basic.qos). */
    @WithDefault("100")
    int prefetch();

    /** How many received messages GET /logs keeps (the most recent ones). */
    @WithDefault("100")
    int recent();

    /** Longest body (in characters) kept and streamed per message; longer bodies are cut and marked. */
    @WithDefault("65536")
    int maxBodyLength();
}
