package dev.rabbitworks.subscriber.logs;

/**
 * One line of stdout per received message. Control characters are escaped so that a body cannot forge extra
 * log lines, and the body is cut so that one message cannot flood the log.
 */
final class LogLine {

    private LogLine() {
    }

    static String of(ReceivedLog log, int maxBodyChars) {
        StringBuilder line = new StringBuilder(128)
                .append("received exchange=").append(escape(log.exchange()))
                .append(" routingKey=").append(escape(log.routingKey()));
        if (log.messageId() != null) {
            line.append(" messageId=").append(escape(log.messageId()));
        }
        return line.append(" body=\"").append(escape(Truncation.cut(log.body(), maxBodyChars))).append('"')
                .toString();
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                case '"' -> escaped.append("\\\"");
                case '\\' -> escaped.append("\\\\");
                default -> {
                    if (Character.isISOControl(c)) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
