package dev.rabbitworks.rpc.metrics;

import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The service's own meters (Prometheus names in brackets):
 * <ul>
 * <li>{@code rpc.requests} [rpc_requests_total] requests computed, by {@code procedure} and reply {@code status};</li>
 * <li>{@code rpc.compute} [rpc_compute_seconds] time spent computing, by {@code procedure};</li>
 * <li>{@code rpc.requests.unanswered} [rpc_requests_unanswered_total] requests that got no reply, by
 * {@code reason}: no reply_to, a reply_to or correlation_id no reply may carry, a reply the client
 * library refused to publish.</li>
 * </ul>
 * Tag values are bounded: every procedure name outside the catalog is {@code unknown}.
 */
@Singleton
public class RpcMetrics {

    public static final String MISSING_REPLY_TO = "missing-reply-to";
    public static final String INVALID_REPLY_TO = "invalid-reply-to";
    public static final String INVALID_CORRELATION_ID = "invalid-correlation-id";
    public static final String REPLY_FAILED = "reply-failed";

    private final MeterRegistry registry;

    public RpcMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void requestComputed(String procedure, int status, long computeNanos) {
        Counter.builder("rpc.requests")
                .description("RPC requests computed, by procedure and reply status")
                .tag("procedure", procedure)
                .tag("status", Integer.toString(status))
                .register(registry)
                .increment();
        Timer.builder("rpc.compute")
                .description("Time spent computing RPC replies")
                .tag("procedure", procedure)
                .register(registry)
                .record(computeNanos, TimeUnit.NANOSECONDS);
    }

    public void requestUnanswered(String reason) {
        Counter.builder("rpc.requests.unanswered")
                .description("RPC requests that got no reply")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
