package dev.rabbitworks.worker.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.rabbitworks.worker.config.TopologyConfig;
import dev.rabbitworks.worker.messaging.TaskConsumerChannels;

/**
 * Ready while this worker is attached as a consumer of the task queue on an open channel. The connector's own
 * channel health is switched off (health-enabled=false) because it also drives liveness, and Kubernetes must
 * not restart a healthy worker during a broker outage: the connector reconnects by itself.
 */
@Readiness
@ApplicationScoped
public class TaskConsumerReadinessCheck implements HealthCheck {

    private final TaskConsumerChannels consumerChannels;
    private final String taskQueue;

    public TaskConsumerReadinessCheck(TaskConsumerChannels consumerChannels, TopologyConfig topology) {
        this.consumerChannels = consumerChannels;
        this.taskQueue = topology.taskQueue();
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("task-queue-consumer")
                .status(consumerChannels.isConsuming())
                .withData("queue", taskQueue)
                .build();
    }
}
