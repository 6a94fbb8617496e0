package dev.rabbitworks.worker.work;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.rabbitworks.worker.config.TopologyConfig;

/**
 * The one place that decides what happens to a task after an attempt.
 * <p>
 * A failed attempt goes back to the queue, so another worker may try it; the quorum queue counts the deliveries
 * (x-delivery-count), so every replica agrees and a crash cannot lose the count. The attempt that the queue
 * would dead-letter anyway on its return (attempt = delivery limit + 1) is rejected without requeue instead:
 * same number of attempts, same dead-letter queue, but RabbitMQ 3.10 grants the consumer one credit too many
 * when a returned message is dead-lettered for its delivery limit (rabbitmq-server#5609, fixed in 3.11), which
 * lets a prefetch-1 consumer hold two tasks. The queue's delivery limit stays the backstop (x-death reason
 * {@code delivery_limit}) for tasks returned by connections that die.
 */
@ApplicationScoped
public class RetryPolicy {

    private final long deliveryLimit;

    @Inject
    public RetryPolicy(TopologyConfig topology) {
        this(topology.taskDeliveryLimit());
    }

    public RetryPolicy(long deliveryLimit) {
        this.deliveryLimit = deliveryLimit;
    }

    public Settlement settlementFor(TaskResult result) {
        if (result.outcome() == TaskOutcome.COMPLETED) {
            return Settlement.ACK;
        }
        if (result.failureKind() == FailureKind.UNPROCESSABLE || isLastAttempt(result.delivery())) {
            return Settlement.DEAD_LETTER;
        }
        return Settlement.REQUEUE;
    }

    private boolean isLastAttempt(TaskDelivery delivery) {
        return delivery.attempt() > deliveryLimit;
    }
}
