package dev.rabbitworks.producer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.broker.TopologyNames;
import io.quarkus.runtime.configuration.MemorySize;

class ConfigChecksTest {

    private static final long HTTP_LIMIT = 16L * 1024 * 1024;

    @Test
    void theDefaultsAreValid() {
        assertEquals(List.of(), ConfigChecks.problems(producer(Duration.ofSeconds(5), 1024 * 1024, 4), topology("task_queue"),
                HTTP_LIMIT));
    }

    @Test
    void ourBodyLimitMustStayBelowQuarkusOne() {
        List<String> problems = ConfigChecks.problems(producer(Duration.ofSeconds(5), HTTP_LIMIT, 4),
                topology("task_queue"), HTTP_LIMIT);
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("producer.max-body-size"), problems::toString);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        List<String> problems = ConfigChecks.problems(producer(Duration.ZERO, 1024, 0), topology("amq.tasks"), HTTP_LIMIT);
        assertEquals(3, problems.size(), problems::toString);
    }

    @Test
    void aBatchHoldsAtLeastOneTask() {
        List<String> problems = ConfigChecks.problems(producer(Duration.ofSeconds(5), 1024, 4, 0),
                topology("task_queue"), HTTP_LIMIT);
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("producer.max-batch-size"), problems::toString);
    }

    private static ProducerConfig producer(Duration timeout, long maxBody, int channels) {
        return producer(timeout, maxBody, channels, 1000);
    }

    private static ProducerConfig producer(Duration timeout, long maxBody, int channels, int maxBatch) {
        return new ProducerConfig() {
            public Duration publishTimeout() {
                return timeout;
            }

            public Duration rpcTimeout() {
                return Duration.ofSeconds(5);
            }

            public Duration bodyReadTimeout() {
                return Duration.ofSeconds(30);
            }

            public int statusMaxTasks() {
                return 200_000;
            }

            public Duration statusMaxWait() {
                return Duration.ofSeconds(30);
            }

            public MemorySize maxBodySize() {
                return new MemorySize(java.math.BigInteger.valueOf(maxBody));
            }

            public int maxBatchSize() {
                return maxBatch;
            }

            public int publisherChannels() {
                return channels;
            }
        };
    }

    private static TopologyConfig topology(String taskQueue) {
        TopologyNames d = TopologyNames.DEFAULTS;
        return new TopologyNames(taskQueue, d.deadLetterExchange(), d.deadLetterQueue(), d.taskDeliveryLimit(),
                d.fanoutExchange(), d.directExchange(), d.topicExchange(), d.rpcQueue(), d.taskEventsStream(),
                d.taskEventsMaxAge(), d.taskEventsMaxBytes());
    }
}
