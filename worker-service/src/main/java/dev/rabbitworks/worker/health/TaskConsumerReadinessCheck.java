package dev.rabbitworks.worker.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.worker.messaging.PublishGate;
import dev.rabbitworks.worker.messaging.TaskQueueConsumer;

/**
 * Ready while this worker is attached as a consumer of the task queue on an open channel, or has paused on purpose
 * because the broker blocks publishers (the data says so: {@code paused}, {@code brokerBlocksPublishers}): the
 * worker is fine then, the broker is not. Liveness does not depend on the broker: Kubernetes must not restart a
 * healthy worker during a broker outage, the client reconnects by itself.
 */
@Readiness
@ApplicationScoped
public class TaskConsumerReadinessCheck implements HealthCheck {

    private final TaskQueueConsumer consumer;
    private final PublishGate gate;
    private final String taskQueue;

    public TaskConsumerReadinessCheck(TaskQueueConsumer consumer, PublishGate gate, TopologyConfig topology) {
        this.consumer = consumer;
        this.gate = gate;
        this.taskQueue = topology.taskQueue();
    }

    @Override
    public HealthCheckResponse call() {
        boolean paused = consumer.pausedFor().isPresent();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("task-queue-consumer")
                .status(consumer.isConsuming() || (paused && consumer.isConnected()))
                .withData("queue", taskQueue)
                .withData("consuming", consumer.isConsuming())
                .withData("paused", paused);
        gate.blockedReason().ifPresent(reason -> response.withData("brokerBlocksPublishers", reason));
        return response.build();
    }
}
