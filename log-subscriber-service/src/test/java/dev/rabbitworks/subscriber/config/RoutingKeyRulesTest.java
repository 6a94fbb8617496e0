package dev.rabbitworks.subscriber.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoutingKeyRulesTest {

    @ParameterizedTest
    @ValueSource(strings = { "error", "warning", "info.verbose", "ünïcödé" })
    void plainWordsAreValidSeverities(String severity) {
        assertTrue(RoutingKeyRules.severityProblem(severity).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "*", "#", "err*", "a.#" })
    void emptyOrWildcardSeveritiesAreRefused(String severity) {
        assertTrue(RoutingKeyRules.severityProblem(severity).isPresent());
    }

    @Test
    void aSeverityOver255BytesIsRefused() {
        assertTrue(RoutingKeyRules.severityProblem("e".repeat(255)).isEmpty());
        assertTrue(RoutingKeyRules.severityProblem("e".repeat(256)).isPresent());
        // 128 two-byte characters: 128 chars but 256 bytes
        assertTrue(RoutingKeyRules.severityProblem("é".repeat(128)).isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = { "#", "*", "task.*", "kern.#", "*.critical", "a.*.c.#", "exact.key", "a..b" })
    void wellFormedPatternsAreValid(String pattern) {
        assertTrue(RoutingKeyRules.patternProblem(pattern).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "task*", "*task", "kern.#x", "a.**.b", "##", "a.b#" })
    void emptyPatternsOrWildcardsInsideWordsAreRefused(String pattern) {
        assertTrue(RoutingKeyRules.patternProblem(pattern).isPresent());
    }

    @Test
    void aPatternOver255BytesIsRefused() {
        assertTrue(RoutingKeyRules.patternProblem("a".repeat(256)).isPresent());
    }

    @Test
    void theProblemNamesTheOffendingWord() {
        assertEquals("pattern 'kern.d*sk' has the word 'd*sk': * and # must stand alone between dots",
                RoutingKeyRules.patternProblem("kern.d*sk").orElseThrow());
    }

    @Test
    void splittingKeepsEmptyEntriesAndTrims() {
        assertEquals(List.of("error", "", "warning"), RoutingKeyRules.split("error, ,warning "));
    }

    @ParameterizedTest
    @ValueSource(strings = { " ", "amq.mine" })
    void blankOrReservedSubscriptionNamesAreRefused(String name) {
        assertTrue(RoutingKeyRules.subscriptionNameProblem(name, 7).isPresent());
    }

    @Test
    void aSubscriptionNameMustLeaveRoomForTheSuffix() {
        assertTrue(RoutingKeyRules.subscriptionNameProblem("s".repeat(248), 7).isEmpty());
        assertTrue(RoutingKeyRules.subscriptionNameProblem("s".repeat(249), 7).isPresent());
    }
}
