package dev.rabbitworks.worker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.broker.TopologyNames;

class WorkerConfigValidatorTest {

    @Test
    void acceptsTheDefaults() {
        assertEquals(List.of(), WorkerConfigValidator.problems(worker(1, Duration.ofSeconds(1)), topology(3)));
    }

    @Test
    void refusesAPrefetchBelowOne() {
        List<String> problems = WorkerConfigValidator.problems(worker(0, Duration.ofSeconds(1)), topology(3));

        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("worker.prefetch"), problems::toString);
    }

    @Test
    void refusesANonPositiveWorkUnitAndANegativeDeliveryLimit() {
        List<String> problems = WorkerConfigValidator.problems(worker(1, Duration.ZERO), topology(-1));

        assertEquals(2, problems.size(), problems::toString);
    }

    @Test
    void refusesARetryDelayThatIsNotPositive() {
        List<String> problems = WorkerConfigValidator.problems(
                worker(1, Duration.ofSeconds(1), List.of(Duration.ofSeconds(1), Duration.ZERO)), topology(3));

        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("worker.retry-delays"), problems::toString);
    }

    private static WorkerConfig worker(int prefetch, Duration workUnit) {
        return worker(prefetch, workUnit, List.of(Duration.ofSeconds(1), Duration.ofSeconds(4)));
    }

    private static WorkerConfig worker(int prefetch, Duration workUnit, List<Duration> retryDelays) {
        return new WorkerConfig() {
            @Override
            public int prefetch() {
                return prefetch;
            }

            @Override
            public Duration workUnit() {
                return workUnit;
            }

            @Override
            public Optional<String> instanceName() {
                return Optional.empty();
            }

            @Override
            public Duration eventTimeout() {
                return Duration.ofSeconds(5);
            }

            @Override
            public List<Duration> retryDelays() {
                return retryDelays;
            }

            @Override
            public EventDelivery eventDelivery() {
                return EventDelivery.CONFIRMED;
            }

            @Override
            public Duration consumerLostLimit() {
                return Duration.ofSeconds(60);
            }
        };
    }

    private static TopologyConfig topology(long deliveryLimit) {
        TopologyNames d = TopologyNames.DEFAULTS;
        return new TopologyNames(d.taskQueue(), d.deadLetterExchange(), d.deadLetterQueue(), deliveryLimit,
                d.fanoutExchange(), d.directExchange(), d.topicExchange(), d.rpcQueue(), d.taskEventsStream(),
                d.taskEventsMaxAge(), d.taskEventsMaxBytes());
    }
}
