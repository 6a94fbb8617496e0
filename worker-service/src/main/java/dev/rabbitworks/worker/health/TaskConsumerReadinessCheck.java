package dev.rabbitworks.worker.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.worker.messaging.TaskQueueConsumer;

/**
 * Ready while this worker is attached as a consumer of the task queue on an open channel. Liveness does not
 * depend on the broker: Kubernetes must not restart a healthy worker during a broker outage, the client
 * reconnects by itself.
 */
@Readiness
@ApplicationScoped
public class TaskConsumerReadinessCheck implements HealthCheck {

    private final TaskQueueConsumer consumer;
    private final String taskQueue;

    public TaskConsumerReadinessCheck(TaskQueueConsumer consumer, TopologyConfig topology) {
        this.consumer = consumer;
        this.taskQueue = topology.taskQueue();
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("task-queue-consumer")
                .status(consumer.isConsuming())
                .withData("queue", taskQueue)
                .build();
    }
}
