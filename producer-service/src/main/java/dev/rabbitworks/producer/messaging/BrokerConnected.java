package dev.rabbitworks.producer.messaging;

import com.rabbitmq.client.Connection;

/**
 * Fired once, when the first connection to the broker is up and the topology declared. The connection
 * recovers by itself afterwards (with its channels, listeners and consumers), so channels are opened once.
 */
public record BrokerConnected(Connection connection) {
}
