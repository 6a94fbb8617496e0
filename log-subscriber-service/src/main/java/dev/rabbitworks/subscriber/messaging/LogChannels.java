package dev.rabbitworks.subscriber.messaging;

import java.util.List;

/**
 * The connector channels, one per exchange (mp.messaging.incoming.&lt;channel&gt;.* in application.properties): each
 * has its own queue, connection and consumer, and its own switch ({@code subscriber.fanout}, {@code .direct},
 * {@code .topic}).
 */
public final class LogChannels {

    public static final String FANOUT = "fanout";
    public static final String DIRECT = "direct";
    public static final String TOPIC = "topic";

    public static final List<String> ALL = List.of(FANOUT, DIRECT, TOPIC);

    private LogChannels() {
    }
}
