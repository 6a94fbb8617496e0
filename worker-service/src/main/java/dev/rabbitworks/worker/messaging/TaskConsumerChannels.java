package dev.rabbitworks.worker.messaging;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.NoOpMetricsCollector;

/**
 * Knows which AMQP channel each consumer of the task channel lives on, as the amqp-client reports it (installed
 * as the connection's metrics collector by {@link WorkerClientCustomizer}).
 * <p>
 * Why: delivery tags are per channel. After the connector reconnects, the broker has already returned the
 * in-flight task to the queue, and an ack with the old tag would go to the <em>new</em> channel, where it either
 * acks a different delivery (the same tag number) or closes the channel (unknown tag). So a delivery is settled
 * only while the channel it came on is still open; otherwise it is left to the broker's redelivery.
 */
@ApplicationScoped
public class TaskConsumerChannels extends NoOpMetricsCollector {

    private final Map<String, Channel> channelByConsumerTag = new ConcurrentHashMap<>();
    private final Set<String> activeConsumers = ConcurrentHashMap.newKeySet();

    @Override
    public void basicConsume(Channel channel, String consumerTag, boolean autoAck) {
        channelByConsumerTag.entrySet().removeIf(entry -> !entry.getValue().isOpen());
        activeConsumers.retainAll(channelByConsumerTag.keySet());
        channelByConsumerTag.put(consumerTag, channel);
        activeConsumers.add(consumerTag);
    }

    @Override
    public void basicCancel(Channel channel, String consumerTag) {
        // Deliveries stay ackable on the channel after a cancel; only the consumer is gone.
        activeConsumers.remove(consumerTag);
    }

    /** Whether a delivery to this consumer can still be acked or nacked (unknown consumer: assume it can). */
    public boolean canSettle(String consumerTag) {
        if (consumerTag == null) {
            return true;
        }
        Channel channel = channelByConsumerTag.get(consumerTag);
        return channel != null && channel.isOpen();
    }

    /** Whether a consumer of the task queue is attached on an open channel right now. */
    public boolean isConsuming() {
        return activeConsumers.stream().map(channelByConsumerTag::get)
                .anyMatch(channel -> channel != null && channel.isOpen());
    }
}
