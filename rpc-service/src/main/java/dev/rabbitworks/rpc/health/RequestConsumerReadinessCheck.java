package dev.rabbitworks.rpc.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.rabbitworks.broker.QueueConsumer;
import dev.rabbitworks.rpc.messaging.RpcServer;

/** Ready while the service consumes the request queue on an open channel: a replica that takes requests. */
@Readiness
@ApplicationScoped
public class RequestConsumerReadinessCheck implements HealthCheck {

    private final QueueConsumer consumer;

    public RequestConsumerReadinessCheck(RpcServer server) {
        this.consumer = server.consumer();
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("request-queue-consumer")
                .status(consumer.isConsuming())
                .withData("queue", consumer.queue())
                .build();
    }
}
