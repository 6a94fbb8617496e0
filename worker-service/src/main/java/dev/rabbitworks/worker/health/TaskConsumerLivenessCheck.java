package dev.rabbitworks.worker.health;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.Liveness;

import dev.rabbitworks.broker.ConsumerLivenessCheck;
import dev.rabbitworks.worker.config.WorkerConfig;
import dev.rabbitworks.worker.messaging.TaskQueueConsumer;

/**
 * DOWN once the worker has been connected without consuming the work queue for longer than
 * worker.consumer-lost-limit; a pause during a resource alarm does not count.
 */
@Liveness
@Singleton
public class TaskConsumerLivenessCheck extends ConsumerLivenessCheck {

    public TaskConsumerLivenessCheck(TaskQueueConsumer consumer, WorkerConfig config) {
        super("task-queue-consumer-alive", consumer.queueConsumer(), config.consumerLostLimit());
    }
}
