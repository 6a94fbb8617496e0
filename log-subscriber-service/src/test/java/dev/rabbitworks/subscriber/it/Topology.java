package dev.rabbitworks.subscriber.it;

import org.eclipse.microprofile.config.ConfigProvider;

/** The exchange names the service under test uses (topology.* keys). */
public final class Topology {

    private Topology() {
    }

    public static String fanoutExchange() {
        return value("topology.fanout-exchange");
    }

    public static String directExchange() {
        return value("topology.direct-exchange");
    }

    public static String topicExchange() {
        return value("topology.topic-exchange");
    }

    private static String value(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }
}
