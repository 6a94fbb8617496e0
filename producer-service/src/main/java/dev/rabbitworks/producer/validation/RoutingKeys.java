package dev.rabbitworks.producer.validation;

import java.nio.charset.StandardCharsets;

/**
 * Routing keys a client may publish with: 1..255 bytes of UTF-8 (the AMQP short-string limit), no
 * wildcard characters (they only mean something in bindings, so a key containing them is a mistake),
 * and no U+FFFD, which is what invalid UTF-8 in a URL path decodes to.
 */
public final class RoutingKeys {

    public static final int MAX_BYTES = 255;

    private RoutingKeys() {
    }

    /** Returns the key when it is valid, throws {@link InvalidInput} saying why not. */
    public static String validate(String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidInput("the routing key is empty");
        }
        if (key.indexOf('\uFFFD') >= 0) {
            throw new InvalidInput("the routing key is not valid UTF-8");
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new InvalidInput("the routing key is " + bytes + " bytes long; at most " + MAX_BYTES + " are allowed");
        }
        if (key.indexOf('*') >= 0 || key.indexOf('#') >= 0) {
            throw new InvalidInput("the routing key contains '*' or '#': wildcards belong in bindings, not in keys");
        }
        return key;
    }
}
