package dev.rabbitworks.subscriber.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SubscriberConfigValidatorTest {

    /** The settings as SmallRye would map them; only the switches and numbers matter to the validator. */
    record Settings(boolean fanout, boolean direct, boolean topic, Optional<String> subscriptionName, int prefetch,
            int recent, int maxBodyLength) implements SubscriberConfig {

        static Settings defaults() {
            return new Settings(true, true, true, Optional.empty(), 100, 100, 65536);
        }

        @Override
        public List<String> severities() {
            return List.of();
        }

        @Override
        public List<String> patterns() {
            return List.of();
        }
    }

    @Test
    void theDefaultsAreValid() {
        assertTrue(SubscriberConfigValidator.problems(Settings.defaults(), "error,warning", "task.*,kern.#,*.critical")
                .isEmpty());
    }

    @Test
    void everyBadKeyIsReportedWithItsSetting() {
        List<String> problems = SubscriberConfigValidator.problems(Settings.defaults(), "error,,warn*", "task*,#");

        assertEquals(List.of(
                "subscriber.severities: a severity is empty",
                "subscriber.severities: severity 'warn*' contains * or #, which a direct exchange does not treat as"
                        + " wildcards",
                "subscriber.patterns: pattern 'task*' has the word 'task*': * and # must stand alone between dots"),
                problems);
    }

    @Test
    void theKeysOfADisabledChannelAreNotChecked() {
        Settings directOff = new Settings(true, false, true, Optional.empty(), 100, 100, 65536);

        assertTrue(SubscriberConfigValidator.problems(directOff, "*", "#").isEmpty());
    }

    @Test
    void aBadSubscriptionNameIsReported() {
        Settings reserved = new Settings(true, true, true, Optional.of("amq.logs"), 100, 100, 65536);

        assertEquals(List.of("subscriber.subscription-name: subscription-name 'amq.logs' starts with 'amq.', which"
                + " the broker reserves"), SubscriberConfigValidator.problems(reserved, "error", "#"));
    }

    @Test
    void sizesMustBePositive() {
        Settings zero = new Settings(true, true, true, Optional.empty(), 0, 0, 0);

        assertEquals(List.of("subscriber.prefetch: must be between 1 and 65535, was 0",
                "subscriber.recent: must be at least 1, was 0",
                "subscriber.max-body-length: must be at least 1, was 0"),
                SubscriberConfigValidator.problems(zero, "error", "#"));
    }

    @Test
    void turningEverythingOffIsReported() {
        Settings nothing = new Settings(false, false, false, Optional.empty(), 100, 100, 65536);

        assertEquals(1, SubscriberConfigValidator.problems(nothing, "error", "#").size());
    }
}
