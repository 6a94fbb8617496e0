package dev.rabbitworks.rpc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class RpcConfigValidatorTest {

    @Test
    void acceptsTheDefaults() {
        assertEquals(List.of(), RpcConfigValidator.problems(10000, 10, Duration.ofSeconds(60), "rpc_queue"));
    }

    @Test
    void listsEveryProblem() {
        List<String> problems = RpcConfigValidator.problems(-1, 0, Duration.ZERO, " ");

        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("rpc.fib-max"));
        assertTrue(problems.get(1).startsWith("rpc.prefetch"));
        assertTrue(problems.get(2).startsWith("rpc.consumer-lost-limit"));
        assertTrue(problems.get(3).startsWith("topology.rpc-queue"));
    }

    @Test
    void refusesBrokerReservedQueueNames() {
        assertEquals(1, RpcConfigValidator.problems(10, 10, Duration.ofSeconds(1), "amq.rpc").size());
    }

    @Test
    void refusesAFibBoundTooLargeToComputeQuickly() {
        assertEquals(1, RpcConfigValidator.problems(1_000_000, 10, Duration.ofSeconds(1), "rpc_queue").size());
    }
}
