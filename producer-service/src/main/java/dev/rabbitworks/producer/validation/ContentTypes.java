package dev.rabbitworks.producer.validation;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The content type a message is published with: the media type the HTTP client sent, without parameters
 * (subscribers compare it as is, e.g. the SmallRye connector matches exactly "text/plain"). Text in this
 * system is UTF-8, so a charset parameter other than UTF-8 (or its subset US-ASCII) is refused.
 * <p>
 * The media type is copied into the message's content-type property, an AMQP short string: it must be
 * {@code type/subtype} made of RFC 9110 token characters and at most {@value #MAX_LENGTH} bytes, or the
 * client library refuses to write the message. Anything else is refused here, before a publish is tried.
 */
public final class ContentTypes {

    public static final String TEXT_PLAIN = "text/plain";
    public static final String APPLICATION_JSON = "application/json";
    public static final Set<String> TASK_TYPES = Set.of(TEXT_PLAIN, APPLICATION_JSON);
    /** The AMQP short-string limit; token characters are ASCII, so characters are bytes. */
    public static final int MAX_LENGTH = 255;
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9a-z-]+";
    private static final Pattern MEDIA_TYPE = Pattern.compile(TOKEN + "/" + TOKEN);

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
        if (type.length() > MAX_LENGTH) {
            throw new UnsupportedContentType("the media type is " + type.length() + " characters long; at most "
                    + MAX_LENGTH + " are allowed");
        }
        if (!MEDIA_TYPE.matcher(type).matches()) {
            throw new UnsupportedContentType("unreadable content type: expected type/subtype");
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
