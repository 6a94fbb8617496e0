package dev.rabbitworks.producer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigValidationException;

/**
 * The real mappings with their real defaults and annotations, and the service's application.properties, validated
 * as at start: Bean Validation on ProducerConfig, then ConfigChecks for what no annotation says.
 */
class ConfigChecksTest {

    private static List<String> refused(Map<String, String> settings) {
        ConfigValidationException refused = assertThrows(ConfigValidationException.class,
                () -> ProducerSettings.load(settings));
        return IntStream.range(0, refused.getProblemCount()).mapToObj(i -> refused.getProblem(i).getMessage())
                .sorted().toList();
    }

    @Test
    void theShippedSettingsAreValid() {
        ProducerSettings shipped = ProducerSettings.load(Map.of());

        assertEquals(Duration.ofSeconds(5), shipped.producer().publishTimeout());
        assertEquals(1024 * 1024, shipped.producer().maxBodySize().asLongValue());
        assertEquals(List.of(), shipped.checkProblems());
    }

    @Test
    void everyDurationMustBePositive() {
        assertEquals(List.of("producer.body-read-timeout must be at least 1ms",
                "producer.publish-timeout must be at least 1ms", "producer.rpc-timeout must be at least 1ms",
                "producer.status-max-wait must be at least 1ms"),
                refused(Map.of("producer.publish-timeout", "0s", "producer.rpc-timeout", "-1s",
                        "producer.body-read-timeout", "0ms", "producer.status-max-wait", "0s")));
    }

    @Test
    void countsOutOfRangeAreReported() {
        assertEquals(List.of("producer.max-batch-size must be greater than or equal to 1",
                "producer.publisher-channels must be less than or equal to 64",
                "producer.status-max-tasks must be greater than or equal to 1"),
                refused(Map.of("producer.max-batch-size", "0", "producer.publisher-channels", "65",
                        "producer.status-max-tasks", "0")));
        assertEquals(List.of("producer.max-batch-size must be less than or equal to 100000",
                "producer.publisher-channels must be greater than or equal to 1"),
                refused(Map.of("producer.max-batch-size", "100001", "producer.publisher-channels", "0")));
    }

    @Test
    void ourBodyLimitMustStayBelowQuarkusOne() {
        assertEquals(List.of("producer.max-body-size (16777216 bytes) must be below quarkus.http.limits.max-body-size"
                + " (16777216 bytes)"), ProducerSettings.load(Map.of("producer.max-body-size", "16M")).checkProblems());
        assertEquals(List.of("producer.max-body-size must be at least 1 byte, got 0"),
                ProducerSettings.load(Map.of("producer.max-body-size", "0")).checkProblems());
    }

    @Test
    void brokerNamesItCannotUseAreReported() {
        assertEquals(List.of("topology.task-queue must not start with 'amq.' (reserved by the broker), got amq.tasks",
                "topology.topic-exchange must be at most 255 bytes", "topology.rpc-queue must not be blank",
                "topology.task-delivery-limit must not be negative, got -1"),
                ProducerSettings.load(Map.of("topology.task-queue", "amq.tasks", "topology.rpc-queue", " ",
                        "topology.topic-exchange", "é".repeat(128), "topology.task-delivery-limit", "-1"))
                        .checkProblems());
    }
}
