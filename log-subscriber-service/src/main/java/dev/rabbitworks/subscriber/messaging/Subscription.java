package dev.rabbitworks.subscriber.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.rabbitmq.client.BuiltinExchangeType;

import dev.rabbitworks.subscriber.config.RoutingKeyRules;
import dev.rabbitworks.subscriber.config.SubscriberConfig;
import dev.rabbitworks.subscriber.config.TopologyConfig;
import dev.rabbitworks.subscriber.config.WrittenKeys;

/**
 * One queue bound to one exchange.
 *
 * @param channel {@code fanout}, {@code direct} or {@code topic} (names the connection and the readiness entry)
 * @param exchange the exchange, declared as the contract says (durable, not auto-delete, no arguments)
 * @param bindingKeys the keys the queue is bound with ({@code ""} once for the fanout exchange)
 * @param durableQueue with {@code subscriber.subscription-name}: {@code <name>.<channel>}, durable and shared;
 *        empty: an exclusive, auto-delete, server-named queue of this instance
 */
public record Subscription(String channel, String exchange, BuiltinExchangeType type, List<String> bindingKeys,
        Optional<String> durableQueue) {

    /** The subscriptions the settings switch on, in the order fanout, direct, topic. */
    public static List<Subscription> enabled(SubscriberConfig subscriber, TopologyConfig topology, WrittenKeys keys) {
        Optional<String> name = subscriber.subscriptionName(); // never blank: refused at start
        List<Subscription> enabled = new ArrayList<>();
        if (subscriber.fanout()) {
            enabled.add(new Subscription(LogChannels.FANOUT, topology.fanoutExchange(), BuiltinExchangeType.FANOUT,
                    List.of(""), name.map(n -> n + "." + LogChannels.FANOUT)));
        }
        if (subscriber.direct()) {
            enabled.add(new Subscription(LogChannels.DIRECT, topology.directExchange(), BuiltinExchangeType.DIRECT,
                    distinct(keys.severities()), name.map(n -> n + "." + LogChannels.DIRECT)));
        }
        if (subscriber.topic()) {
            enabled.add(new Subscription(LogChannels.TOPIC, topology.topicExchange(), BuiltinExchangeType.TOPIC,
                    distinct(keys.patterns()), name.map(n -> n + "." + LogChannels.TOPIC)));
        }
        return enabled;
    }

    private static List<String> distinct(String written) {
        return RoutingKeyRules.split(written).stream().distinct().toList();
    }
}
