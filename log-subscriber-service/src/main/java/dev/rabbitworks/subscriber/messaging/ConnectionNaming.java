package dev.rabbitworks.subscriber.messaging;

/** Each subscription's broker connection is "log-subscriber-service (channel)": operators and tests find it by name. */
public final class ConnectionNaming {

    public static final String PREFIX = "log-subscriber-service";

    private ConnectionNaming() {
    }

    public static String connectionName(String channel) {
        return PREFIX + " (" + channel + ")";
    }
}
