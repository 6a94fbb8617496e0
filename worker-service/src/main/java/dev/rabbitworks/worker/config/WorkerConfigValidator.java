package dev.rabbitworks.worker.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import dev.rabbitworks.broker.TopologyConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start with settings that would silently misbehave (prefetch 0 means "unlimited" to the broker).
 * Runs before the messaging channels start, so nothing is consumed with a bad setting.
 */
@ApplicationScoped
public class WorkerConfigValidator {

    /** One retry queue per retry: keep their number small. */
    static final int MAX_RETRIES = 10;

    void validate(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, WorkerConfig worker,
            TopologyConfig topology) {
        List<String> problems = problems(worker, topology);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid worker-service configuration: " + String.join("; ", problems));
        }
    }

    static List<String> problems(WorkerConfig worker, TopologyConfig topology) {
        List<String> problems = new ArrayList<>();
        if (worker.prefetch() < 1) {
            problems.add("worker.prefetch must be at least 1 (got " + worker.prefetch() + ")");
        }
        positive("worker.work-unit", worker.workUnit(), problems);
        positive("worker.event-timeout", worker.eventTimeout(), problems);
        positive("worker.consumer-lost-limit", worker.consumerLostLimit(), problems);
        if (worker.retryDelays().size() > MAX_RETRIES) {
            problems.add("worker.retry-delays has " + worker.retryDelays().size() + " entries, at most " + MAX_RETRIES
                    + " allowed");
        }
        worker.retryDelays().forEach(delay -> positive("worker.retry-delays", delay, problems));
        worker.instanceName().filter(String::isBlank)
                .ifPresent(blank -> problems.add("worker.instance-name must not be blank"));
        if (topology.taskDeliveryLimit() < 0) {
            problems.add("topology.task-delivery-limit must not be negative (got " + topology.taskDeliveryLimit() + ")");
        }
        notBlank("topology.task-queue", topology.taskQueue(), problems);
        notBlank("topology.dead-letter-exchange", topology.deadLetterExchange(), problems);
        notBlank("topology.dead-letter-queue", topology.deadLetterQueue(), problems);
        notBlank("topology.topic-exchange", topology.topicExchange(), problems);
        return problems;
    }

    private static void positive(String key, Duration value, List<String> problems) {
        if (value.isNegative() || value.isZero()) {
            problems.add(key + " must be positive (got " + value + ")");
        }
    }

    private static void notBlank(String key, String value, List<String> problems) {
        if (value.isBlank()) {
            problems.add(key + " must not be blank");
        }
    }
}
