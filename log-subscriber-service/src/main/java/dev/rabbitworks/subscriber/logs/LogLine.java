package dev.rabbitworks.subscriber.logs;

/**
 * One line of stdout per received message. Control characters are escaped so that a body cannot forge extra
 * log lines, and the body is cut so that one message cannot flood the log.
 */
final class LogLine {

    private LogLine() {
    }

    static String of(ReceivedLog log, int maxBodyChars) {
        String body = Truncation.cut(log.body(), maxBodyChars);
        StringBuilder line = new StringBuilder(64 + body.length()).append("received exchange=");
        escape(log.exchange(), line).append(" routingKey=");
        escape(log.routingKey(), line);
        if (log.messageId() != null) {
            escape(log.messageId(), line.append(" messageId="));
        }
        return escape(body, line.append(" body=\"")).append('"').toString();
    }

    /** Appends {@code text} to {@code to}, escaped; in one piece when there is nothing to escape (most bodies). */
    private static StringBuilder escape(String text, StringBuilder to) {
        int first = firstToEscape(text);
        if (first == text.length()) {
            return to.append(text);
        }
        to.append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> to.append("\\n");
                case '\r' -> to.append("\\r");
                case '\t' -> to.append("\\t");
                case '"' -> to.append("\\\"");
                case '\\' -> to.append("\\\\");
                default -> {
                    if (Character.isISOControl(c)) {
                        to.append(String.format("\\u%04x", (int) c));
                    } else {
                        to.append(c);
                    }
                }
            }
        }
        return to;
    }

    private static int firstToEscape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || Character.isISOControl(c)) {
                return i;
            }
        }
        return text.length();
    }
}
