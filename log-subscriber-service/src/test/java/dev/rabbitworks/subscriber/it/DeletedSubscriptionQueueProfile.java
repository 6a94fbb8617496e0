package dev.rabbitworks.subscriber.it;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** A named durable subscription of its own: its test deletes a queue, which ends that service's subscription. */
public class DeletedSubscriptionQueueProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of();
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DurableSubscription.class));
    }
}
