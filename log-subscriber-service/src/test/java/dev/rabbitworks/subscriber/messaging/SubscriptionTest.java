package dev.rabbitworks.subscriber.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.BuiltinExchangeType;

import dev.rabbitworks.subscriber.config.SubscriberSettings;
import dev.rabbitworks.subscriber.config.TopologyConfig;
import dev.rabbitworks.subscriber.config.WrittenKeys;

class SubscriptionTest {

    private static final TopologyConfig TOPOLOGY = new TopologyConfig() {
        @Override
        public String fanoutExchange() {
            return "logs";
        }

        @Override
        public String directExchange() {
            return "direct_logs";
        }

        @Override
        public String topicExchange() {
            return "topic_logs";
        }
    };
    private static final WrittenKeys KEYS = new WrittenKeys("error, warning,error", "task.*,kern.#");

    @Test
    void withoutASubscriptionNameEveryExchangeGetsAServerNamedQueue() {
        assertEquals(List.of(
                new Subscription("fanout", "logs", BuiltinExchangeType.FANOUT, List.of(""), Optional.empty()),
                new Subscription("direct", "direct_logs", BuiltinExchangeType.DIRECT, List.of("error", "warning"),
                        Optional.empty()),
                new Subscription("topic", "topic_logs", BuiltinExchangeType.TOPIC, List.of("task.*", "kern.#"),
                        Optional.empty())),
                Subscription.enabled(SubscriberSettings.defaults(), TOPOLOGY, KEYS));
    }

    @Test
    void aSubscriptionNameNamesOneDurableQueuePerExchange() {
        assertEquals(List.of(Optional.of("audit.fanout"), Optional.of("audit.direct"), Optional.of("audit.topic")),
                Subscription.enabled(SubscriberSettings.defaults().withSubscriptionName("audit"), TOPOLOGY, KEYS).stream()
                        .map(Subscription::durableQueue).toList());
    }

    @Test
    void aSwitchedOffExchangeHasNoSubscription() {
        assertEquals(List.of("direct"), Subscription.enabled(SubscriberSettings.switches(false, true, false),
                TOPOLOGY, KEYS).stream().map(Subscription::channel).toList());
    }
}
