package dev.rabbitworks.worker.config;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import dev.rabbitworks.broker.TopologyConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start with broker names the worker cannot use. Only these: {@link WorkerConfig}'s settings are checked
 * by Bean Validation, but {@link TopologyConfig} is broker-client's mapping and carries no constraints yet (once it
 * does, this class goes). Runs before the broker connection opens.
 */
@ApplicationScoped
public class TopologyConfigCheck {

    void validate(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event,
            TopologyConfig topology) {
        List<String> problems = problems(topology);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid worker-service configuration: " + String.join("; ", problems));
        }
    }

    static List<String> problems(TopologyConfig topology) {
        List<String> problems = new ArrayList<>();
        if (topology.taskDeliveryLimit() < 0) {
            problems.add("topology.task-delivery-limit must not be negative (got " + topology.taskDeliveryLimit() + ")");
        }
        notBlank("topology.task-queue", topology.taskQueue(), problems);
        notBlank("topology.dead-letter-exchange", topology.deadLetterExchange(), problems);
        notBlank("topology.dead-letter-queue", topology.deadLetterQueue(), problems);
        notBlank("topology.topic-exchange", topology.topicExchange(), problems);
        return problems;
    }

    private static void notBlank(String key, String value, List<String> problems) {
        if (value.isBlank()) {
            problems.add(key + " must not be blank");
        }
    }
}
