package dev.rabbitworks.producer.config;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.hibernate.validator.constraints.time.DurationMin;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The producer's own settings (env {@code PRODUCER_*}). Bean Validation checks them at start, so a bad setting stops
 * the service with a message that names it; {@link ConfigChecks} adds what no annotation can say (the body limit
 * against Quarkus's own, the broker names).
 */
@ConfigMapping(prefix = "producer")
public interface ProducerConfig {

    /** The message of a duration that must be positive. */
    String POSITIVE = "must be at least 1ms";

    /** How long a publish may wait for the broker's confirm before the HTTP call answers 503. */
    @WithDefault("5s")
    @DurationMin(millis = 1, message = POSITIVE)
    Duration publishTimeout();

    /** How long an RPC call waits for its reply (also the request's expiration) before answering 504. */
    @WithDefault("5s")
    @DurationMin(millis = 1, message = POSITIVE)
    Duration rpcTimeout();

    /** The largest request body accepted; larger bodies get 413. Must stay below quarkus.http.limits.max-body-size. */
    @WithDefault("1M")
    MemorySize maxBodySize();

    /**
     * How long a request may take to send its body once its headers are in; then the connection is closed. A
     * client trickling its body a byte at a time would otherwise hold the connection until the body limit.
     */
    @WithDefault("30s")
    @DurationMin(millis = 1, message = POSITIVE)
    Duration bodyReadTimeout();

    /** The most tasks one POST /tasks/batch may hold; more get 400. */
    @WithDefault("1000")
    @Min(1)
    @Max(100_000)
    int maxBatchSize();

    /**
     * Number of confirm-mode channels publishes are spread over. One by default: the broker then confirms many
     * publishes per ack and spends less per message (docs/performance.md); more only spread a channel error.
     */
    @WithDefault("1")
    @Min(1)
    @Max(64)
    int publisherChannels();

    /**
     * The most tasks whose status this replica keeps (and as many Idempotency-Keys); the oldest go first. About
     * 250 bytes each (docs/producer-service.md, "Task status").
     */
    @WithDefault("200000")
    @Min(1)
    int statusMaxTasks();

    /** The longest a GET /tasks/{id}?wait=... may hold the request. */
    @WithDefault("30s")
    @DurationMin(millis = 1, message = POSITIVE)
    Duration statusMaxWait();
}
