package dev.rabbitworks.subscriber.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What RabbitMQ accepts, and what makes sense, as a binding key. Pure functions so that bad keys are
 * refused at start with a message that names the key, not later by the broker (or never: a direct
 * exchange silently matches {@code *} literally).
 */
public final class RoutingKeyRules {

    /** AMQP 0-9-1 short strings: routing keys, binding keys and queue names are at most 255 bytes. */
    public static final int MAX_BYTES = 255;

    private RoutingKeyRules() {
    }

    /** Splits a comma-separated list of keys, trimmed, empty entries kept (so that they are reported). */
    public static List<String> split(String raw) {
        List<String> keys = new ArrayList<>();
        for (String part : raw.split(",")) {
            keys.add(part.trim());
        }
        return keys;
    }

    /** Why {@code severity} cannot be a direct binding key, if it cannot. */
    public static Optional<String> severityProblem(String severity) {
        if (severity.isEmpty()) {
            return Optional.of("a severity is empty");
        }
        if (tooLong(severity)) {
            return Optional.of("severity '" + shorten(severity) + "' is longer than " + MAX_BYTES + " bytes");
        }
        if (severity.contains("*") || severity.contains("#")) {
            return Optional.of("severity '" + severity
                    + "' contains * or #, which a direct exchange does not treat as wildcards");
        }
        return Optional.empty();
    }

    /**
     * Why {@code pattern} cannot be a topic binding key, if it cannot: words are separated by '.', and a
     * word is either '*', '#', or text without '*' and '#'.
     */
    public static Optional<String> patternProblem(String pattern) {
        if (pattern.isEmpty()) {
            return Optional.of("a pattern is empty");
        }
        if (tooLong(pattern)) {
            return Optional.of("pattern '" + shorten(pattern) + "' is longer than " + MAX_BYTES + " bytes");
        }
        for (String word : pattern.split("\\.", -1)) {
            boolean wildcard = word.equals("*") || word.equals("#");
            if (!wildcard && (word.contains("*") || word.contains("#"))) {
                return Optional.of("pattern '" + pattern + "' has the word '" + word
                        + "': * and # must stand alone between dots");
            }
        }
        return Optional.empty();
    }

    /** Why {@code name} cannot prefix the subscription's queue names, if it cannot. */
    public static Optional<String> subscriptionNameProblem(String name, int longestSuffixBytes) {
        if (name.isBlank()) {
            return Optional.of("subscription-name is blank (leave it unset for per-instance queues)");
        }
        if (name.startsWith("amq.")) {
            return Optional.of("subscription-name '" + name + "' starts with 'amq.', which the broker reserves");
        }
        if (bytes(name) + longestSuffixBytes > MAX_BYTES) {
            return Optional.of("subscription-name '" + shorten(name) + "' makes queue names longer than "
                    + MAX_BYTES + " bytes");
        }
        return Optional.empty();
    }

    private static boolean tooLong(String key) {
        return bytes(key) > MAX_BYTES;
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
