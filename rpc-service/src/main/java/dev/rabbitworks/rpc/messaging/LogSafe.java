package dev.rabbitworks.rpc.messaging;

import java.util.Optional;

/** Values from messages, made safe for a log line: no control characters (no forged lines), bounded length. */
final class LogSafe {

    private static final int MAX_LENGTH = 100;

    private LogSafe() {
    }

    static String of(Optional<String> value) {
        return value.map(LogSafe::of).orElse("<none>");
    }

    static String of(String value) {
        String shortened = value.length() <= MAX_LENGTH ? value : value.substring(0, MAX_LENGTH) + "...";
        return shortened.replaceAll("\\p{Cntrl}", "?");
    }
}
