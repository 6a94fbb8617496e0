package dev.rabbitworks.subscriber.messaging;

import java.util.List;

/** The connector channels, one per exchange (a connector channel consumes from exactly one exchange). */
public final class LogChannels {

    public static final String FANOUT = "fanout";
    public static final String DIRECT = "direct";
    public static final String TOPIC = "topic";

    public static final List<String> ALL = List.of(FANOUT, DIRECT, TOPIC);

    private LogChannels() {
    }

    /** A connector attribute of an incoming channel, e.g. {@code mp.messaging.incoming.direct.routing-keys}. */
    public static String attribute(String channel, String attribute) {
        return "mp.messaging.incoming." + channel + "." + attribute;
    }
}
