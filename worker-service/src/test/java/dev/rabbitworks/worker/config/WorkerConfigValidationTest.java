package dev.rabbitworks.worker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.rabbitworks.broker.TopologyConfig;
import io.smallrye.config.ConfigValidationException;

/**
 * The real mappings with their real defaults and annotations, and the service's own application.properties,
 * validated the way the service validates them at start ({@link WorkerSettings}).
 */
class WorkerConfigValidationTest {

    private static List<String> problems(Map<String, String> settings) {
        ConfigValidationException refused = assertThrows(ConfigValidationException.class, () -> WorkerSettings.load(settings));
        return IntStream.range(0, refused.getProblemCount()).mapToObj(i -> refused.getProblem(i).getMessage())
                .sorted().toList();
    }

    @Test
    void theShippedSettingsAreValid() {
        WorkerConfig worker = WorkerSettings.worker(Map.of());

        assertEquals(1, worker.prefetch());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(16)),
                worker.retryDelays());
        assertEquals(Optional.empty(), worker.instanceName());
        assertEquals(List.of(), TopologyConfigCheck.problems(WorkerSettings.load(Map.of()).getConfigMapping(TopologyConfig.class)));
    }

    @Test
    void aPrefetchOutsideWhatTheBrokerTakesIsReported() {
        // 0 would mean "unlimited" to the broker.
        assertEquals(List.of("worker.prefetch must be greater than or equal to 1"),
                problems(Map.of("worker.prefetch", "0")));
        assertEquals(List.of("worker.prefetch must be less than or equal to 65535"),
                problems(Map.of("worker.prefetch", "65536")));
    }

    @Test
    void everyDurationMustBePositive() {
        assertEquals(List.of("worker.consumer-lost-limit must be at least 1ms",
                "worker.event-timeout must be at least 1ms",
                "worker.work-unit must be at least 1ms"),
                problems(Map.of("worker.work-unit", "0s", "worker.event-timeout", "-1s",
                        "worker.consumer-lost-limit", "0ms")));
    }

    @Test
    void everyRetryDelayMustBePositiveAndTheyAreFew() {
        assertEquals(List.of("worker.retry-delays[1] must be at least 1ms"),
                problems(Map.of("worker.retry-delays", "1s,0s")));
        assertEquals(List.of("worker.retry-delays size must be between 0 and 10"),
                problems(Map.of("worker.retry-delays", "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s")));
    }

    @Test
    void aBlankInstanceNameIsReported() {
        assertEquals(List.of("worker.instance-name must not be blank"),
                problems(Map.of("worker.instance-name", " ")));
    }

    @Test
    void brokerNamesTheWorkerCannotUseAreReported() {
        TopologyConfig topology = WorkerSettings.load(Map.of("topology.task-delivery-limit", "-1", "topology.task-queue", " "))
                .getConfigMapping(TopologyConfig.class);

        assertEquals(List.of("topology.task-delivery-limit must not be negative (got -1)",
                "topology.task-queue must not be blank"), TopologyConfigCheck.problems(topology));
    }
}
