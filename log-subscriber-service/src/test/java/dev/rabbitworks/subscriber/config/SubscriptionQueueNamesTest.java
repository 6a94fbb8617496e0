package dev.rabbitworks.subscriber.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SubscriptionQueueNamesTest {

    @Test
    void withoutASubscriptionEveryChannelGetsAServerNamedQueue() {
        assertEquals(Map.of(
                "mp.messaging.incoming.fanout.queue.name", "(server.auto)",
                "mp.messaging.incoming.direct.queue.name", "(server.auto)",
                "mp.messaging.incoming.topic.queue.name", "(server.auto)"),
                SubscriptionQueueNames.queueNames(null));
    }

    @Test
    void aSubscriptionNamesOneQueuePerChannel() {
        assertEquals(Map.of(
                "mp.messaging.incoming.fanout.queue.name", "audit.fanout",
                "mp.messaging.incoming.direct.queue.name", "audit.direct",
                "mp.messaging.incoming.topic.queue.name", "audit.topic"),
                SubscriptionQueueNames.queueNames("audit"));
    }
}
