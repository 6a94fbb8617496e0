package dev.rabbitworks.worker.messaging;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Event timestamps as the contract writes them: ISO-8601 UTC with milliseconds, {@code 2026-12-02T08:00:00.123Z},
 * always three digits (Instant.toString drops zero millis and adds micros). The part up to the second is formatted
 * once per second and reused: a formatter per event is the kind of cost that showed in the worker's profiles.
 */
final class UtcMillis {

    private static final DateTimeFormatter UP_TO_SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.");

    /** The last second formatted; replaced as a whole, so a reader never sees a half-updated pair. */
    private record Second(long epochSecond, String prefix) {
    }

    private static volatile Second last = new Second(Long.MIN_VALUE, "");

    private UtcMillis() {
    }

    static String format(long epochMillis) {
        long epochSecond = Math.floorDiv(epochMillis, 1000);
        int millis = (int) Math.floorMod(epochMillis, 1000);
        Second second = last;
        if (second.epochSecond() != epochSecond) {
            second = new Second(epochSecond,
                    UP_TO_SECOND.format(LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC)));
            last = second;
        }
        String prefix = second.prefix();
        char[] text = new char[prefix.length() + 4];
        prefix.getChars(0, prefix.length(), text, 0);
        int at = prefix.length();
        text[at] = (char) ('0' + millis / 100);
        text[at + 1] = (char) ('0' + millis / 10 % 10);
        text[at + 2] = (char) ('0' + millis % 10);
        text[at + 3] = 'Z';
        return new String(text);
    }
}
