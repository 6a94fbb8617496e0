package dev.rabbitworks.system.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.rabbitworks.system.support.Http;
import dev.rabbitworks.system.support.Service;
import dev.rabbitworks.system.support.ServiceProcess;
import dev.rabbitworks.system.support.SystemUnderTest;
import dev.rabbitworks.system.support.Tally;

/** Many RPC calls at once through the producer, answered by two rpc-service replicas sharing rpc_queue. */
class RpcParallelCallsIT {

    private static final int CALLS = 200;
    private static final int CLIENTS = 20;

    private static SystemUnderTest system;
    private static ServiceProcess producer;
    private static ServiceProcess rpcA;
    private static ServiceProcess rpcB;

    @BeforeAll
    static void startTheSystem() {
        system = SystemUnderTest.forClass(RpcParallelCallsIT.class);
        producer = system.launch(Service.PRODUCER, "producer");
        rpcA = system.launch(Service.RPC, "rpc-a");
        rpcB = system.launch(Service.RPC, "rpc-b");
        SystemUnderTest.awaitReady(producer, rpcA, rpcB);
    }

    @AfterAll
    static void stopTheSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void everyParallelCallGetsItsOwnAnswer() throws Exception {
        // Call i asks fib(i): an answer meant for another call is a different number.
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<Http.Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < CALLS; i++) {
                int n = i;
                Callable<Http.Response> call = () -> Http.post(producer.url("/rpc/fib"), "text/plain",
                        Integer.toString(n).getBytes(StandardCharsets.UTF_8));
                answers.add(clients.submit(call));
            }
            int ok = 0;
            int crossed = 0;
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                Http.Response answer = answers.get(i).get();
                if (answer.status() != 200) {
                    wrong.add("fib(" + i + "): " + answer.status() + " " + answer.body());
                } else if (!answer.body().strip().equals(fib(i).toString())) {
                    crossed++;
                    wrong.add("fib(" + i + ") answered " + answer.body());
                } else {
                    ok++;
                }
            }
            double byA = rpcA.metric("rpc_requests_total");
            double byB = rpcB.metric("rpc_requests_total");
            Tally.note(String.format("[rpc]   parallel-calls         calls=%d clients=%d replicas=2 ok=%d crossed=%d "
                    + "answered-by=[rpc-a=%.0f, rpc-b=%.0f]", CALLS, CLIENTS, ok, crossed, byA, byB));

            assertEquals(List.of(), wrong);
            assertTrue(byA > 0 && byB > 0, "both replicas answered: " + byA + " / " + byB);
            assertEquals(0.0, producer.metric("producer_rpc_pending"), "no call left waiting");
        } finally {
            clients.shutdownNow();
        }
    }

    private static BigInteger fib(int n) {
        BigInteger a = BigInteger.ZERO;
        BigInteger b = BigInteger.ONE;
        for (int i = 0; i < n; i++) {
            BigInteger next = a.add(b);
            a = b;
            b = next;
        }
        return a;
    }
}
