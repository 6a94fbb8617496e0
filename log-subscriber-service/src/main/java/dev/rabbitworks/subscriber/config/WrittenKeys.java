package dev.rabbitworks.subscriber.config;

import java.util.List;

import org.eclipse.microprofile.config.Config;

/**
 * {@code subscriber.severities} and {@code subscriber.patterns} as written, before any list conversion: what is
 * checked is what is bound, an empty entry included.
 */
public record WrittenKeys(String severities, String patterns) {

    public static WrittenKeys from(Config config, SubscriberConfig subscriber) {
        return new WrittenKeys(written(config, "subscriber.severities", subscriber.severities()),
                written(config, "subscriber.patterns", subscriber.patterns()));
    }

    private static String written(Config config, String key, List<String> fallback) {
        return config.getOptionalValue(key, String.class).orElse(String.join(",", fallback));
    }
}
