package dev.rabbitworks.subscriber.config;

import java.util.List;
import java.util.Optional;

/** Subscriber settings as SmallRye would map them, for tests of pure logic; the key lists come as written. */
public record SubscriberSettings(boolean fanout, boolean direct, boolean topic, Optional<String> subscriptionName,
        int prefetch, int recent, int maxBodyLength) implements SubscriberConfig {

    public static SubscriberSettings defaults() {
        return switches(true, true, true);
    }

    public static SubscriberSettings switches(boolean fanout, boolean direct, boolean topic) {
        return new SubscriberSettings(fanout, direct, topic, Optional.empty(), 100, 100, 65536);
    }

    public SubscriberSettings withSubscriptionName(String name) {
        return new SubscriberSettings(fanout, direct, topic, Optional.of(name), prefetch, recent, maxBodyLength);
    }

    @Override
    public List<String> severities() {
        return List.of();
    }

    @Override
    public List<String> patterns() {
        return List.of();
    }
}
