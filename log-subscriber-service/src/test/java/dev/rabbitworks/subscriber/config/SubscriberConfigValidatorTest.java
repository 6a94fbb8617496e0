package dev.rabbitworks.subscriber.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SubscriberConfigValidatorTest {

    @Test
    void theDefaultsAreValid() {
        assertTrue(SubscriberConfigValidator.problems(SubscriberSettings.defaults(), "error,warning",
                "task.*,kern.#,*.critical").isEmpty());
    }

    @Test
    void everyBadKeyIsReportedWithItsSetting() {
        List<String> problems = SubscriberConfigValidator.problems(SubscriberSettings.defaults(), "error,,warn*",
                "task*,#");

        assertEquals(List.of(
                "subscriber.severities: a severity is empty",
                "subscriber.severities: severity 'warn*' contains * or #, which a direct exchange does not treat as"
                        + " wildcards",
                "subscriber.patterns: pattern 'task*' has the word 'task*': * and # must stand alone between dots"),
                problems);
    }

    @Test
    void theKeysOfADisabledChannelAreNotChecked() {
        SubscriberSettings directOff = SubscriberSettings.switches(true, false, true);

        assertTrue(SubscriberConfigValidator.problems(directOff, "*", "#").isEmpty());
    }

    @Test
    void aBadSubscriptionNameIsReported() {
        SubscriberSettings reserved = SubscriberSettings.defaults().withSubscriptionName("amq.logs");

        assertEquals(List.of("subscriber.subscription-name: subscription-name 'amq.logs' starts with 'amq.', which"
                + " the broker reserves"), SubscriberConfigValidator.problems(reserved, "error", "#"));
    }

    @Test
    void sizesMustBePositive() {
        SubscriberSettings zero = new SubscriberSettings(true, true, true, Optional.empty(), 0, 0, 0);

        assertEquals(List.of("subscriber.prefetch: must be between 1 and 65535, was 0",
                "subscriber.recent: must be at least 1, was 0",
                "subscriber.max-body-length: must be at least 1, was 0"),
                SubscriberConfigValidator.problems(zero, "error", "#"));
    }

    @Test
    void turningEverythingOffIsReported() {
        SubscriberSettings nothing = SubscriberSettings.switches(false, false, false);

        assertEquals(1, SubscriberConfigValidator.problems(nothing, "error", "#").size());
    }
}
