package dev.rabbitworks.subscriber.config;

import static dev.rabbitworks.subscriber.config.BindingKeys.Kind.DIRECT;
import static dev.rabbitworks.subscriber.config.BindingKeys.Kind.TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BindingKeySyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = { "error", "warning", "info.verbose", "ünïcödé", "error, warning" })
    void plainWordsAreValidSeverities(String severities) {
        assertEquals(List.of(), BindingKeySyntax.problems(DIRECT, severities));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "*", "#", "err*", "a.#", "error,", "error,,warning" })
    void emptyOrWildcardSeveritiesAreRefused(String severities) {
        assertEquals(1, BindingKeySyntax.problems(DIRECT, severities).size());
    }

    @Test
    void aSeverityOver255BytesIsRefused() {
        assertTrue(BindingKeySyntax.problems(DIRECT, "e".repeat(255)).isEmpty());
        assertEquals(1, BindingKeySyntax.problems(DIRECT, "e".repeat(256)).size());
        // 128 two-byte characters: 128 chars but 256 bytes
        assertEquals(1, BindingKeySyntax.problems(DIRECT, "é".repeat(128)).size());
    }

    @ParameterizedTest
    @ValueSource(strings = { "#", "*", "task.*", "kern.#", "*.critical", "a.*.c.#", "exact.key", "a..b",
            "task.*, kern.#" })
    void wellFormedPatternsAreValid(String patterns) {
        assertEquals(List.of(), BindingKeySyntax.problems(TOPIC, patterns));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "task*", "*task", "kern.#x", "a.**.b", "##", "a.b#", "#,", "a," })
    void emptyPatternsOrWildcardsInsideWordsAreRefused(String patterns) {
        assertEquals(1, BindingKeySyntax.problems(TOPIC, patterns).size());
    }

    @Test
    void aPatternOver255BytesIsRefused() {
        assertEquals(1, BindingKeySyntax.problems(TOPIC, "a".repeat(256)).size());
    }

    @Test
    void everyBadKeyIsNamedInItsOwnLine() {
        assertEquals(List.of("has an empty key",
                "has the severity 'warn*': * and # are plain characters to a direct exchange, not wildcards"),
                BindingKeySyntax.problems(DIRECT, "error,,warn*"));
        assertEquals(List.of("has the pattern 'kern.d*sk': its word 'd*sk' mixes * or # with text (they must stand"
                + " alone between dots)"), BindingKeySyntax.problems(TOPIC, "task.*, kern.d*sk"));
    }
}
