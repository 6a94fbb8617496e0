package dev.rabbitworks.subscriber.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;

/** The real mapping with its real defaults and annotations, validated the way the service validates it at start. */
class SubscriberConfigValidationTest {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    private static SubscriberConfig load(Map<String, String> settings) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(SubscriberConfig.class)
                .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
                .withSources(new PropertiesConfigSource(settings, "test settings", 500))
                .build();
        return config.getConfigMapping(SubscriberConfig.class);
    }

    private static List<String> problems(Map<String, String> settings) {
        ConfigValidationException refused = assertThrows(ConfigValidationException.class, () -> load(settings));
        return IntStream.range(0, refused.getProblemCount()).mapToObj(i -> refused.getProblem(i).getMessage())
                .sorted().toList();
    }

    @Test
    void theDefaultsAreValid() {
        SubscriberConfig defaults = load(Map.of());

        assertEquals("error,warning", defaults.severities());
        assertEquals("task.*,*.error,*.critical,kern.#", defaults.patterns());
        assertEquals(Optional.empty(), defaults.subscriptionName());
        assertEquals(100, defaults.prefetch());
    }

    @Test
    void everyBadKeyIsReportedWithItsSetting() {
        assertEquals(List.of(
                "subscriber.patterns has the pattern 'task*': its word 'task*' mixes * or # with text (they must"
                        + " stand alone between dots)",
                "subscriber.severities has an empty key",
                "subscriber.severities has the severity 'warn*': * and # are plain characters to a direct exchange,"
                        + " not wildcards"),
                problems(Map.of("subscriber.severities", "error,,warn*", "subscriber.patterns", "task*,#")));
    }

    @Test
    void aKeyIsShownAsWrittenEvenWithTemplateCharacters() {
        assertEquals(List.of("subscriber.patterns has the pattern 'a{b}*': its word 'a{b}*' mixes * or # with text"
                + " (they must stand alone between dots)"), problems(Map.of("subscriber.patterns", "a{b}*")));
    }

    @Test
    void aBlankOrReservedOrTooLongSubscriptionNameIsReported() {
        String reserved = "subscriber.subscription-name must not be blank nor start with 'amq.' (reserved by the"
                + " broker)";
        assertEquals(List.of(reserved), problems(Map.of("subscriber.subscription-name", "amq.logs")));
        assertEquals(List.of(reserved), problems(Map.of("subscriber.subscription-name", " logs")));
        assertEquals(List.of("subscriber.subscription-name size must be between 0 and 248"),
                problems(Map.of("subscriber.subscription-name", "s".repeat(249))));
    }

    @Test
    void sizesOutOfRangeAreReported() {
        assertEquals(List.of("subscriber.max-body-length must be greater than or equal to 1",
                "subscriber.prefetch must be less than or equal to 65535",
                "subscriber.recent must be greater than or equal to 1"),
                problems(Map.of("subscriber.prefetch", "65536", "subscriber.recent", "0",
                        "subscriber.max-body-length", "0")));
    }

    @Test
    void turningEverySubscriptionOffIsReported() {
        assertEquals(List.of("subscriber anySubscriptionOn is false: subscriber.fanout, subscriber.direct and"
                + " subscriber.topic are all false, so nothing would be received"),
                problems(Map.of("subscriber.fanout", "false", "subscriber.direct", "false",
                        "subscriber.topic", "false")));
    }
}
