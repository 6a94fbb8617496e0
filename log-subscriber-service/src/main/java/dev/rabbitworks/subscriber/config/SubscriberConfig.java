package dev.rabbitworks.subscriber.config;

import java.util.Optional;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What this subscriber listens to and how much it keeps (env {@code SUBSCRIBER_*}). The connector channels in
 * application.properties read these settings; Bean Validation checks them at start, so a bad setting stops the
 * service with a message that names it before anything is declared on the broker.
 */
@ConfigMapping(prefix = "subscriber")
public interface SubscriberConfig {

    /** Bind a queue to the fanout exchange ({@code topology.fanout-exchange}); false: no queue, no consumer. */
    @WithDefault("true")
    boolean fanout();

    /** Bind a queue to the direct exchange ({@code topology.direct-exchange}); false: no queue, no consumer. */
    @WithDefault("true")
    boolean direct();

    /**
     * Severities (exact binding keys) to receive from the direct exchange, comma-separated. Kept as written: the
     * connector binds this very text, split at commas, so an empty entry must be seen (and refused) here.
     */
    @WithDefault("error,warning")
    @BindingKeys(BindingKeys.Kind.DIRECT)
    String severities();

    /** Bind a queue to the topic exchange ({@code topology.topic-exchange}); false: no queue, no consumer. */
    @WithDefault("true")
    boolean topic();

    /** Binding patterns for the topic exchange, comma-separated ({@code *} one word, {@code #} zero or more). */
    @WithDefault("task.*,*.error,*.critical,kern.#")
    @BindingKeys(BindingKeys.Kind.TOPIC)
    String patterns();

    /**
     * Name of a durable subscription: when set, the queues are {@code <name>.fanout}, {@code <name>.direct} and
     * {@code <name>.topic}, durable and shared, and keep messages while no instance runs. Unset: one exclusive
     * server-named queue per instance and exchange, gone when the instance goes. At most 248 characters, so that
     * the queue names fit AMQP's 255; {@code amq.} is the broker's.
     */
    Optional<@Size(max = 248) @Pattern(regexp = "(?!amq\\.)\\S.*",
            message = "must not be blank nor start with 'amq.' (reserved by the broker)") String> subscriptionName();

    /** Unacked messages the broker may send ahead to each consumer (basic.qos; 0 would mean unlimited). */
    @WithDefault("100")
    @Min(1)
    @Max(65535)
    int prefetch();

    /** How many received messages GET /logs keeps (the most recent ones). */
    @WithDefault("100")
    @Min(1)
    int recent();

    /** Longest body (in characters) kept and streamed per message; longer bodies are cut and marked. */
    @WithDefault("65536")
    @Min(1)
    int maxBodyLength();

    /** A subscriber with every subscription off would hear nothing and still report ready. */
    @AssertTrue(message = "is false: subscriber.fanout, subscriber.direct and subscriber.topic are all false, so"
            + " nothing would be received")
    default boolean isAnySubscriptionOn() {
        return fanout() || direct() || topic();
    }
}
