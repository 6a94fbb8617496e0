package dev.rabbitworks.producer.messaging;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.rabbitworks.broker.PublishFailure;

/**
 * {@code producer.publishes{target,outcome}} counts every publish by how it ended;
 * {@code producer.publish.latency{target}} times publish to confirm (or failure).
 */
@ApplicationScoped
public class PublishMetrics {

    public static final String PUBLISHES = "producer.publishes";
    public static final String LATENCY = "producer.publish.latency";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<PublishTarget, Timer> timers = new ConcurrentHashMap<>();

    public PublishMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** outcome: routed, returned (confirmed, no queue bound), nacked, timeout, unavailable, refused (never written). */
    void record(PublishTarget target, String outcome, long startNanos) {
        counters.computeIfAbsent(target.tag() + '/' + outcome, key -> Counter.builder(PUBLISHES)
                .description("Publishes by target and outcome")
                .tag("target", target.tag()).tag("outcome", outcome)
                .register(registry)).increment();
        timers.computeIfAbsent(target, t -> Timer.builder(LATENCY)
                .description("Time from publish to the broker's confirm, return or failure")
                .tag("target", t.tag())
                .register(registry)).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** Counts and times {@code confirm}, which completes with routed (true) or returned (false). */
    java.util.concurrent.CompletableFuture<Boolean> track(PublishTarget target,
            java.util.concurrent.CompletableFuture<Boolean> confirm, long startNanos) {
        return confirm.whenComplete((routed, failure) -> record(target,
                failure != null ? outcomeOf(failure) : routed ? "routed" : "returned", startNanos));
    }

    static String outcomeOf(Throwable failure) {
        if (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        if (failure instanceof PublishFailure publishFailure) {
            return publishFailure.reason().name().toLowerCase(Locale.ROOT);
        }
        return "unavailable";
    }
}
