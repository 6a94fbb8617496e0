package dev.rabbitworks.producer.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.rabbitworks.broker.TopologyConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;

/**
 * Fails the start with one clear message for what the annotations on {@link ProducerConfig} cannot say, before
 * anything connects: our body limit against Quarkus's own (two settings, one of them Quarkus's), and the broker names
 * ({@link TopologyConfig} is broker-client's mapping and carries no constraints yet; once it does, that part goes).
 */
@ApplicationScoped
public class ConfigChecks {

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

    /** Everything wrong with these settings, empty when they are usable. */
    public static List<String> problems(ProducerConfig producer, TopologyConfig topology, long httpBodyLimit) {
        List<String> problems = new ArrayList<>();
        long maxBody = producer.maxBodySize().asLongValue();
        if (maxBody < 1) {
            problems.add("producer.max-body-size must be at least 1 byte, got " + maxBody);
        } else if (maxBody >= httpBodyLimit) {
            // Quarkus answers a bare 413 above its own limit: ours must trip first to give a problem body.
            problems.add("producer.max-body-size (" + maxBody + " bytes) must be below quarkus.http.limits.max-body-size ("
                    + httpBodyLimit + " bytes)");
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
