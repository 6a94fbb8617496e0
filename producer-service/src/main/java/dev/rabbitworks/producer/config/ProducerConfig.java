package dev.rabbitworks.producer.config;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The producer's own settings (env {@code PRODUCER_*}); checked at start by {@link ConfigChecks}. */
@ConfigMapping(prefix = "producer")
public interface ProducerConfig {

    /** How long a publish may wait for the broker's confirm before the HTTP call answers 503. */
    @WithDefault("5s")
    Duration publishTimeout();

    /** How long an RPC call waits for its reply (also the request's expiration) before answering 504. */
    @WithDefault("5s")
    Duration rpcTimeout();

    /** The largest request body accepted; larger bodies get 413. Must stay below quarkus.http.limits.max-body-size. */
    @WithDefault("1M")
    MemorySize maxBodySize();

    /**
     * How long a request may take to send its body once its headers are in; then the connection is closed. A
     * client trickling its body a byte at a time would otherwise hold the connection until the body limit.
     */
    @WithDefault("30s")
    Duration bodyReadTimeout();

    /** The most tasks one POST /tasks/batch may hold; more get 400. */
    @WithDefault("1000")
    int maxBatchSize();

    /**
     * Number of confirm-mode channels publishes are spread over. One by default: the broker then confirms many
     * publishes per ack and spends less per message (docs/performance.md); more only spread a channel error.
     */
    @WithDefault("1")
    int publisherChannels();

    /**
     * The most tasks whose status this replica keeps (and as many Idempotency-Keys); the oldest go first. About
     * 250 bytes each (docs/producer-service.md, "Task status").
     */
    @WithDefault("200000")
    int statusMaxTasks();

    /** The longest a GET /tasks/{id}?wait=... may hold the request. */
    @WithDefault("30s")
    Duration statusMaxWait();
}
