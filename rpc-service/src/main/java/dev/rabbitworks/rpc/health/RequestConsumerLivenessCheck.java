package dev.rabbitworks.rpc.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import dev.rabbitworks.broker.QueueConsumer;
import dev.rabbitworks.rpc.config.RpcConfig;
import dev.rabbitworks.rpc.messaging.RpcServer;

/**
 * DOWN once the service has been connected to the broker without consuming the request queue for longer than
 * rpc.consumer-lost-limit (it tries again every reconnect interval meanwhile): something it did not mend by itself,
 * so Kubernetes restarts it. A broker outage does not make it DOWN: the connection is down and recovers by itself.
 */
@Liveness
@ApplicationScoped
public class RequestConsumerLivenessCheck implements HealthCheck {

    private final QueueConsumer consumer;
    private final Duration limit;

    public RequestConsumerLivenessCheck(RpcServer server, RpcConfig config) {
        this.consumer = server.consumer();
        this.limit = config.consumerLostLimit();
    }

    @Override
    public HealthCheckResponse call() {
        Duration lost = consumer.lostFor();
        return HealthCheckResponse.named("request-queue-consumer-alive")
                .status(lost.compareTo(limit) <= 0)
                .withData("connectedWithoutConsumerMs", lost.toMillis())
                .withData("limitMs", limit.toMillis())
                .build();
    }
}
