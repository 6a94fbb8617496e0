package dev.rabbitworks.producer.config;

import dev.rabbitworks.broker.TopologyConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;

/** Fails the start with one clear message when the settings cannot work, before anything connects. */
@ApplicationScoped
public class ConfigChecks {

    static final int MAX_PUBLISHER_CHANNELS = 64;
    static final int MAX_BATCH_SIZE = 100_000;

    private final ProducerConfig producer;
    private final TopologyConfig topology;
    private final MemorySize httpBodyLimit;

    public ConfigChecks(ProducerConfig producer, TopologyConfig topology,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize httpBodyLimit) {
        this.producer = producer;
        this.topology = topology;
        this.httpBodyLimit = httpBodyLimit;
    }

    void onStart(@Observes @Priority(1) StartupEvent event) {
        List<String> problems = problems(producer, topology, httpBodyLimit.asLongValue());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid configuration: " + String.join("; ", problems));
        }
    }

    /** Everything wrong with the settings, empty when they are usable. */
    public static List<String> problems(ProducerConfig producer, TopologyConfig topology, long httpBodyLimit) {
        List<String> problems = new ArrayList<>();
        positive(problems, "producer.publish-timeout", producer.publishTimeout());
        positive(problems, "producer.rpc-timeout", producer.rpcTimeout());
        positive(problems, "producer.body-read-timeout", producer.bodyReadTimeout());
        positive(problems, "producer.status-max-wait", producer.statusMaxWait());
        if (producer.statusMaxTasks() < 1) {
            problems.add("producer.status-max-tasks must be at least 1, got " + producer.statusMaxTasks());
        }
        long maxBody = producer.maxBodySize().asLongValue();
        if (maxBody < 1) {
            problems.add("producer.max-body-size must be at least 1 byte, got " + maxBody);
        } else if (maxBody >= httpBodyLimit) {
            // Quarkus answers a bare 413 above its own limit: ours must trip first to give a problem body.
            problems.add("producer.max-body-size (" + maxBody + " bytes) must be below quarkus.http.limits.max-body-size ("
                    + httpBodyLimit + " bytes)");
        }
        if (producer.publisherChannels() < 1 || producer.publisherChannels() > MAX_PUBLISHER_CHANNELS) {
            problems.add("producer.publisher-channels must be between 1 and " + MAX_PUBLISHER_CHANNELS + ", got "
                    + producer.publisherChannels());
        }
        if (producer.maxBatchSize() < 1 || producer.maxBatchSize() > MAX_BATCH_SIZE) {
            problems.add("producer.max-batch-size must be between 1 and " + MAX_BATCH_SIZE + ", got "
                    + producer.maxBatchSize());
        }
        name(problems, "topology.task-queue", topology.taskQueue());
        name(problems, "topology.dead-letter-exchange", topology.deadLetterExchange());
        name(problems, "topology.dead-letter-queue", topology.deadLetterQueue());
        name(problems, "topology.fanout-exchange", topology.fanoutExchange());
        name(problems, "topology.direct-exchange", topology.directExchange());
        name(problems, "topology.topic-exchange", topology.topicExchange());
        name(problems, "topology.rpc-queue", topology.rpcQueue());
        if (topology.taskDeliveryLimit() < 0) {
            problems.add("topology.task-delivery-limit must not be negative, got " + topology.taskDeliveryLimit());
        }
        return problems;
    }

    private static void positive(List<String> problems, String key, Duration value) {
        if (value.isNegative() || value.toMillis() < 1) {
            problems.add(key + " must be at least 1ms, got " + value);
        }
    }

    private static void name(List<String> problems, String key, String value) {
        if (value.isBlank()) {
            problems.add(key + " must not be blank");
        } else if (value.getBytes(StandardCharsets.UTF_8).length > 255) {
            problems.add(key + " must be at most 255 bytes");
        } else if (value.startsWith("amq.")) {
            problems.add(key + " must not start with 'amq.' (reserved by the broker), got " + value);
        }
    }
}
