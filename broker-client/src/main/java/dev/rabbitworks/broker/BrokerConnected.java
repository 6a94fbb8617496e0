package dev.rabbitworks.broker;

import com.rabbitmq.client.Connection;

/**
 * Fired once, when the first connection to the broker is up. Observers declare what they use and open their
 * channels on it (an observer with a lower {@code @Priority} runs first: declare before you consume). The
 * connection recovers by itself afterwards, with its channels, listeners, consumers and declarations, so this
 * happens once.
 */
public record BrokerConnected(Connection connection) {
}
