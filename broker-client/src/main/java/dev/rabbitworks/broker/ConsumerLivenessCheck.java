package dev.rabbitworks.broker;

import java.time.Duration;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Liveness of a service that lives by consuming one queue: DOWN once it has been connected to the broker without
 * consuming for longer than {@code limit} ({@link QueueConsumer} tries again every reconnect interval meanwhile), so
 * Kubernetes restarts what did not mend by itself. A broker outage does not make it DOWN (the connection is down
 * and recovers by itself), nor does a pause on purpose. Each service extends it as its {@code @Liveness} bean,
 * {@code @Singleton} (a normal-scoped bean would need a no-args constructor for its proxy).
 */
public abstract class ConsumerLivenessCheck implements HealthCheck {

    private final String name;
    private final QueueConsumer consumer;
    private final Duration limit;

    protected ConsumerLivenessCheck(String name, QueueConsumer consumer, Duration limit) {
        this.name = name;
        this.consumer = consumer;
        this.limit = limit;
    }

    @Override
    public HealthCheckResponse call() {
        Duration lost = consumer.lostFor();
        return HealthCheckResponse.named(name)
                .status(lost.compareTo(limit) <= 0)
                .withData("connectedWithoutConsumerMs", lost.toMillis())
                .withData("limitMs", limit.toMillis())
                .build();
    }
}
