package dev.rabbitworks.rpc.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.rabbitworks.broker.TopologyConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Fails the start with one clear message listing every bad setting, instead of a service that
 * starts and then misbehaves (an unlimited prefetch, a consumer-lost limit of zero, an unusable queue name).
 */
@ApplicationScoped
public class RpcConfigValidator {

    /** Upper bound for rpc.fib-max: fib(100000) has about 21000 digits and takes well under a second. */
    static final int FIB_MAX_LIMIT = 100_000;
    /** Upper bound for rpc.prefetch: also the number of threads that work on requests at once. */
    public static final int PREFETCH_LIMIT = 1_000;

    void onStart(@Observes @Priority(1) StartupEvent event, RpcConfig rpc, TopologyConfig topology) {
        List<String> problems = problems(rpc.fibMax(), rpc.prefetch(), rpc.consumerLostLimit(), topology.rpcQueue());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid rpc-service configuration: " + String.join("; ", problems));
        }
    }

    static List<String> problems(int fibMax, int prefetch, Duration consumerLostLimit, String rpcQueue) {
        List<String> problems = new ArrayList<>();
        if (fibMax < 0 || fibMax > FIB_MAX_LIMIT) {
            problems.add("rpc.fib-max must be between 0 and " + FIB_MAX_LIMIT + ", was " + fibMax);
        }
        if (prefetch < 1 || prefetch > PREFETCH_LIMIT) {
            problems.add("rpc.prefetch must be between 1 and " + PREFETCH_LIMIT + " (0 would mean unlimited), was "
                    + prefetch);
        }
        if (consumerLostLimit.isNegative() || consumerLostLimit.isZero()) {
            problems.add("rpc.consumer-lost-limit must be positive, was " + consumerLostLimit);
        }
        if (rpcQueue.isBlank()) {
            problems.add("topology.rpc-queue must not be blank");
        } else if (rpcQueue.startsWith("amq.")) {
            problems.add("topology.rpc-queue must not start with 'amq.' (reserved by the broker), was " + rpcQueue);
        } else if (rpcQueue.getBytes(StandardCharsets.UTF_8).length > 255) {
            problems.add("topology.rpc-queue must be at most 255 bytes long");
        }
        return problems;
    }
}
