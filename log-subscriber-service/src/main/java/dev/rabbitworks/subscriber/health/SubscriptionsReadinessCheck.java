package dev.rabbitworks.subscriber.health;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.rabbitworks.subscriber.messaging.Subscriptions;

/**
 * Ready while every enabled subscription is being delivered to, one entry per channel. Liveness does not depend on
 * the broker: Kubernetes must not restart a healthy subscriber during a broker outage, the client reconnects.
 */
@Readiness
@ApplicationScoped
public class SubscriptionsReadinessCheck implements HealthCheck {

    private final Subscriptions subscriptions;

    public SubscriptionsReadinessCheck(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, Boolean> consuming = subscriptions.consuming();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("log-subscriptions")
                .status(!consuming.containsValue(false));
        consuming.forEach((channel, up) -> response.withData(channel, up ? "consuming" : "not consuming"));
        return response.build();
    }
}
