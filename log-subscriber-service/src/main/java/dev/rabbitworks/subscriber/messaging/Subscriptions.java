package dev.rabbitworks.subscriber.messaging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;

import dev.rabbitworks.subscriber.config.SubscriberConfig;
import dev.rabbitworks.subscriber.config.TopologyConfig;
import dev.rabbitworks.subscriber.config.WrittenKeys;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** The subscriptions the settings switch on: started with the application, stopped with it. */
@ApplicationScoped
public class Subscriptions {

    private final ScheduledExecutorService connector = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "log-subscriber-connect");
        thread.setDaemon(true); // a stuck connect never holds the JVM
        return thread;
    });
    private final List<SubscriptionConsumer> consumers;

    Subscriptions(SubscriberConfig subscriber, TopologyConfig topology, Config config, BrokerConnections broker,
            LogSubscriber logSubscriber) {
        this.consumers = Subscription.enabled(subscriber, topology, WrittenKeys.from(config, subscriber)).stream()
                .map(s -> new SubscriptionConsumer(s, broker.recoveringFactory(), subscriber.prefetch(),
                        logSubscriber, connector))
                .toList();
    }

    void onStart(@Observes StartupEvent event) {
        consumers.forEach(SubscriptionConsumer::start);
    }

    void onStop(@Observes ShutdownEvent event) {
        connector.shutdownNow();
        consumers.forEach(SubscriptionConsumer::stop);
    }

    /** Whether each enabled subscription is being delivered to, by channel, in the order fanout, direct, topic. */
    public Map<String, Boolean> consuming() {
        Map<String, Boolean> consuming = new LinkedHashMap<>();
        for (SubscriptionConsumer consumer : consumers) {
            consuming.put(consumer.channel(), consumer.isConsuming());
        }
        return consuming;
    }
}
