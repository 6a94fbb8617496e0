package dev.rabbitworks.producer.validation;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of GET /tasks/{id}?wait=...: a task id as the producer and well-behaved clients make them (1 to 255
 * characters of letters, digits and {@code . _ ~ : -}: a UUID for the producer's), and a wait ({@code 10s},
 * {@code 500ms}, {@code 1m}, or whole seconds), held to the configured limit.
 */
public final class StatusQueries {

    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9._~:-]{1,255}");
    private static final Pattern WAIT = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    private StatusQueries() {
    }

    public static String taskId(String id) {
        if (id == null || !TASK_ID.matcher(id).matches()) {
            throw new InvalidInput("malformed task id: 1 to 255 letters, digits or . _ ~ : -");
        }
        return id;
    }

    /** No wait when absent; else the wait asked for, at most {@code limit}. */
    public static Duration waitFor(String wait, Duration limit) {
        if (wait == null) {
            return Duration.ZERO;
        }
        Matcher matcher = WAIT.matcher(wait);
        if (!matcher.matches()) {
            throw new InvalidInput("malformed wait: a whole number with ms, s or m (e.g. 10s), at most " + limit);
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        Duration asked = switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
        };
        return asked.compareTo(limit) > 0 ? limit : asked;
    }
}
