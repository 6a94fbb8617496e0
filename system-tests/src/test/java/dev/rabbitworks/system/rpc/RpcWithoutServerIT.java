package dev.rabbitworks.system.rpc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;

import dev.rabbitworks.system.support.Http;
import dev.rabbitworks.system.support.Service;
import dev.rabbitworks.system.support.ServiceProcess;
import dev.rabbitworks.system.support.SystemUnderTest;
import dev.rabbitworks.system.support.Tally;

/**
 * RPC with no rpc-service running (it ran, declared rpc_queue, and stopped): every call ends with 504 at the
 * configured timeout, and the producer keeps no call waiting; a reply that comes after its call timed out is
 * discarded and counted.
 */
class RpcWithoutServerIT {

    /** Long enough that ±10 % is well above the HTTP round trip on a busy machine. */
    private static final Duration RPC_TIMEOUT = Duration.ofSeconds(4);
    private static final int CALLS = 20;

    private static SystemUnderTest system;
    private static ServiceProcess producer;

    @BeforeAll
    static void startTheSystem() {
        system = SystemUnderTest.forClass(RpcWithoutServerIT.class);
        producer = system.launch(Service.PRODUCER, "producer",
                Map.of("PRODUCER_RPC_TIMEOUT", RPC_TIMEOUT.toMillis() + "ms"));
        ServiceProcess rpc = system.launch(Service.RPC, "rpc-gone");
        SystemUnderTest.awaitReady(producer, rpc);
        rpc.terminate();
        assertTrue(rpc.waitForExit(Duration.ofSeconds(20)).isPresent(), "rpc-service stopped");
    }

    @AfterAll
    static void stopTheSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void everyCallEndsWith504AtTheTimeoutAndNoCallIsLeftWaiting() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CALLS);
        try {
            List<CompletableFuture<Http.Response>> calls = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> Http.post(producer.url("/rpc/fib"), "text/plain",
                        "10".getBytes(StandardCharsets.UTF_8)), clients));
            }
            List<Http.Response> answers = new ArrayList<>();
            for (CompletableFuture<Http.Response> call : calls) {
                answers.add(call.get(30, TimeUnit.SECONDS));
            }
            long min = answers.stream().mapToLong(a -> a.nanos() / 1_000_000).min().orElseThrow();
            long max = answers.stream().mapToLong(a -> a.nanos() / 1_000_000).max().orElseThrow();
            Tally.note(String.format("[rpc]   no-rpc-service         calls=%d status-504=%d took=%d..%dms timeout=%dms "
                    + "pending-after=%.0f", CALLS, answers.stream().filter(a -> a.status() == 504).count(), min, max,
                    RPC_TIMEOUT.toMillis(), producer.metric("producer_rpc_pending")));

            for (Http.Response answer : answers) {
                assertEquals(504, answer.status(), answer::body);
                assertTrue(answer.contentType().startsWith("application/problem+json"), answer::contentType);
                long millis = answer.nanos() / 1_000_000;
                assertTrue(millis >= RPC_TIMEOUT.toMillis() * 9 / 10 && millis <= RPC_TIMEOUT.toMillis() * 11 / 10,
                        "answered after " + millis + " ms, timeout " + RPC_TIMEOUT.toMillis() + " ms");
            }
            assertEquals(0.0, producer.metric("producer_rpc_pending"), "the pending-call map is empty");
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aReplyAfterItsCallTimedOutIsDiscardedAndCounted() throws Exception {
        double lateBefore = producer.metric("producer_rpc_late_replies_total");
        LinkedBlockingQueue<Delivery> requests = new LinkedBlockingQueue<>();
        try (Connection connection = system.connect("system-tests-slow-rpc-server");
                Channel channel = connection.createChannel()) {
            // A slow replica: takes the request and answers only once the caller has given up.
            channel.basicConsume("rpc_queue", true, (tag, delivery) -> requests.add(delivery), tag -> {
            });

            Http.Response answer = Http.post(producer.url("/rpc/fib"), "text/plain",
                    "7".getBytes(StandardCharsets.UTF_8));
            assertEquals(504, answer.status(), answer::body);
            Delivery request = requests.poll(5, TimeUnit.SECONDS);
            assertFalse(request == null, "the request reached rpc_queue");
            channel.basicPublish("", request.getProperties().getReplyTo(), new AMQP.BasicProperties.Builder()
                    .correlationId(request.getProperties().getCorrelationId()).contentType("text/plain")
                    .headers(Map.of("status", 200)).build(), "13".getBytes(StandardCharsets.UTF_8));

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> producer.metric("producer_rpc_late_replies_total") == lateBefore + 1);
            Tally.note(String.format("[rpc]   late-reply             call=504 late-replies-counted=%.0f pending-after=%.0f",
                    producer.metric("producer_rpc_late_replies_total") - lateBefore,
                    producer.metric("producer_rpc_pending")));
            assertEquals(0.0, producer.metric("producer_rpc_pending"));
        }
    }
}
