package dev.rabbitworks.subscriber.it;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A named durable subscription (the name comes from {@link DurableSubscription}), with the fanout binding
 * switched off.
 */
public class DurableSubscriptionProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("subscriber.fanout", "false");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DurableSubscription.class));
    }
}
