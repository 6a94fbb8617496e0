package dev.rabbitworks.subscriber.it;

import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;

/** The exchange names and binding keys the service under test uses (topology.* and subscriber.* settings). */
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

    /** subscriber.severities, one key each. */
    public static List<String> severities() {
        return keys("subscriber.severities");
    }

    /** subscriber.patterns, one pattern each. */
    public static List<String> patterns() {
        return keys("subscriber.patterns");
    }

    private static List<String> keys(String setting) {
        return List.of(value(setting).split("\\s*,\\s*"));
    }

    private static String value(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }
}
