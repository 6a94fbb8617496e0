package dev.rabbitworks.subscriber.it;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A named durable subscription (the name comes from {@link DurableSubscription}), with the fanout subscription
 * switched off and a prefetch other than the default.
 */
public class DurableSubscriptionProfile implements QuarkusTestProfile {

    static final int PREFETCH = 7;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("subscriber.fanout", "false", "subscriber.prefetch", String.valueOf(PREFETCH));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DurableSubscription.class));
    }
}
