package dev.rabbitworks.worker.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import dev.rabbitworks.worker.config.WorkerConfig;
import dev.rabbitworks.worker.messaging.TaskQueueConsumer;

/**
 * DOWN once the worker has been connected to the broker without consuming the work queue for longer than
 * worker.consumer-lost-limit (it tries again meanwhile): something it cannot mend by itself, so Kubernetes restarts
 * it. A broker outage does not make it DOWN (the connection is down, the client reconnects), nor does a pause
 * during a resource alarm.
 */
@Liveness
@ApplicationScoped
public class TaskConsumerLivenessCheck implements HealthCheck {

    private final TaskQueueConsumer consumer;
    private final Duration limit;

    public TaskConsumerLivenessCheck(TaskQueueConsumer consumer, WorkerConfig config) {
        this.consumer = consumer;
        this.limit = config.consumerLostLimit();
    }

    @Override
    public HealthCheckResponse call() {
        Duration lost = consumer.lostFor();
        return HealthCheckResponse.named("task-queue-consumer-alive")
                .status(lost.compareTo(limit) <= 0)
                .withData("connectedWithoutConsumerMs", lost.toMillis())
                .withData("limitMs", limit.toMillis())
                .build();
    }
}
