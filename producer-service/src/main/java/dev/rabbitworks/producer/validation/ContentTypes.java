package dev.rabbitworks.producer.validation;

import java.util.Locale;
import java.util.Set;

/**
 * The content type a message is published with: the media type the HTTP client sent, without parameters
 * (subscribers compare it as is, e.g. the SmallRye connector matches exactly "text/plain"). Text in this
 * system is UTF-8, so a charset parameter other than UTF-8 (or its subset US-ASCII) is refused.
 */
public final class ContentTypes {

    public static final String TEXT_PLAIN = "text/plain";
    public static final String APPLICATION_JSON = "application/json";
    public static final Set<String> TASK_TYPES = Set.of(TEXT_PLAIN, APPLICATION_JSON);

    private ContentTypes() {
    }

    /** For a task: text/plain or application/json, nothing else (a missing header included). */
    public static String forTask(String header) {
        String type = publishable(header);
        if (type == null || !TASK_TYPES.contains(type)) {
            throw new UnsupportedContentType("a task must be text/plain or application/json, got "
                    + (header == null ? "no content type" : header));
        }
        return type;
    }

    /** The media type to publish with, or null when the client sent none (valid everywhere per the contract). */
    public static String publishable(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String[] parts = header.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        if (slash <= 0 || slash == type.length() - 1 || type.indexOf('/', slash + 1) >= 0 || type.contains(" ")) {
            throw new UnsupportedContentType("unreadable content type: " + header);
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("charset")) {
                String charset = parameter.substring(equals + 1).trim().replace("\"", "").toLowerCase(Locale.ROOT);
                if (!charset.equals("utf-8") && !charset.equals("utf8") && !charset.equals("us-ascii")) {
                    throw new UnsupportedContentType("text must be UTF-8, got charset " + charset);
                }
            }
        }
        return type;
    }
}
