package dev.rabbitworks.subscriber.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What RabbitMQ accepts, and what makes sense, as a binding key. Bad keys are refused at start with a message that
 * names the key, not later by the broker (or never: a direct exchange silently matches {@code *} literally, and an
 * empty entry binds the empty key).
 */
public final class BindingKeySyntax {

    /** AMQP 0-9-1 short strings: binding keys are at most 255 bytes. */
    public static final int MAX_BYTES = 255;

    private BindingKeySyntax() {
    }

    /**
     * @param written the comma-separated keys as the connector's {@code routing-keys} gets them (it splits at commas
     *        and trims each key)
     * @return one line per bad key, to follow the setting's name ("subscriber.severities has an empty key"); empty
     *         when every key is good
     */
    public static List<String> problems(BindingKeys.Kind kind, String written) {
        List<String> problems = new ArrayList<>();
        for (String part : written.split(",", -1)) {
            String key = part.trim();
            String problem = kind == BindingKeys.Kind.DIRECT ? severityProblem(key) : patternProblem(key);
            if (problem != null) {
                problems.add(problem);
            }
        }
        return problems;
    }

    private static String severityProblem(String severity) {
        String problem = shortStringProblem("severity", severity);
        if (problem != null) {
            return problem;
        }
        if (severity.contains("*") || severity.contains("#")) {
            return "has the severity '" + severity + "': * and # are plain characters to a direct exchange, not"
                    + " wildcards";
        }
        return null;
    }

    /** Words are separated by '.'; a word is '*', '#', or text without '*' and '#'. */
    private static String patternProblem(String pattern) {
        String problem = shortStringProblem("pattern", pattern);
        if (problem != null) {
            return problem;
        }
        for (String word : pattern.split("\\.", -1)) {
            boolean wildcard = word.equals("*") || word.equals("#");
            if (!wildcard && (word.contains("*") || word.contains("#"))) {
                return "has the pattern '" + pattern + "': its word '" + word
                        + "' mixes * or # with text (they must stand alone between dots)";
            }
        }
        return null;
    }

    private static String shortStringProblem(String what, String key) {
        if (key.isEmpty()) {
            return "has an empty key";
        }
        if (tooLong(key)) {
            return "has a " + what + " longer than " + MAX_BYTES + " bytes: '" + shorten(key) + "'";
        }
        return null;
    }

    private static boolean tooLong(String key) {
        return key.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES;
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
