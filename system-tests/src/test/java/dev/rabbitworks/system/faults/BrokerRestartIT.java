package dev.rabbitworks.system.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.rabbitworks.system.support.Brokers;
import dev.rabbitworks.system.support.Http;
import dev.rabbitworks.system.support.Service;
import dev.rabbitworks.system.support.ServiceProcess;
import dev.rabbitworks.system.support.SystemUnderTest;
import dev.rabbitworks.system.support.Tally;
import dev.rabbitworks.system.support.TaskEvents;
import dev.rabbitworks.system.support.TaskLoad;

/**
 * Fault 3: the broker is restarted under load. While it is down, POST /tasks answers 503 (never 202, never later
 * than the publish timeout) and readiness is DOWN; within 10 s of the broker being back, 202s resume and every
 * service is ready again, none restarted by hand; no accepted task is lost.
 */
class BrokerRestartIT {

    /** PRODUCER_PUBLISH_TIMEOUT of Service.PRODUCER's test settings. */
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration BACK_WITHIN = Duration.ofSeconds(10);
    /** Tasks sent while the broker is down, each to be refused. */
    private static final int PROBES = 20;

    private static SystemUnderTest system;
    private static TaskEvents events;
    private static ServiceProcess producer;
    private static ServiceProcess workerA;
    private static ServiceProcess workerB;
    private static ServiceProcess rpc;
    private static ServiceProcess subscriber;

    @BeforeAll
    static void startTheSystem() {
        Optional<String> cannotRestart = Brokers.shared().whyItCannotBeRestarted();
        assumeTrue(cannotRestart.isEmpty(), () -> "broker restart tests skipped: " + cannotRestart.orElse(""));
        system = SystemUnderTest.forClass(BrokerRestartIT.class);
        events = TaskEvents.listen(system);
        producer = system.launch(Service.PRODUCER, "producer");
        workerA = system.launch(Service.WORKER, "worker-a");
        workerB = system.launch(Service.WORKER, "worker-b");
        rpc = system.launch(Service.RPC, "rpc");
        subscriber = system.launch(Service.LOG_SUBSCRIBER, "log-subscriber");
        SystemUnderTest.awaitReady(producer, workerA, workerB, rpc, subscriber);
    }

    @AfterAll
    static void stopTheSystem() {
        Faults.close(events, system);
    }

    @Test
    void tasksAre503WhileTheBrokerIsDownAndNoAcceptedTaskIsLostAcrossItsRestart() {
        List<ServiceProcess> services = List.of(producer, workerA, workerB, rpc, subscriber);
        try (TaskLoad load = TaskLoad.start(producer, Faults.BATCH, Faults.RATE, n -> "restart-" + n + " .")) {
            await().atMost(Faults.LOAD_TIMEOUT).until(() -> load.acceptedCount() >= Faults.BATCH / 3);

            long stoppingAt = System.nanoTime();
            List<Http.Response> whileDown;
            long backAt;
            try {
                system.broker().stop();
                // While it is down: readiness DOWN everywhere, liveness UP ...
                for (ServiceProcess service : services) {
                    await(service.name() + " not ready").atMost(Duration.ofSeconds(10))
                            .pollInterval(Duration.ofMillis(50)).until(() -> !service.isReady());
                    assertTrue(service.isLive(), service.name() + " stays live");
                }
                // ... and every task refused. Probed directly rather than through the load, which may have sent all
                // its tasks by now on a fast machine, or be slowed by a busy one: the promise does not depend on it.
                whileDown = probeTasks(PROBES);
            } finally {
                // Whatever happened, the broker is started again (it is shared with everything on this machine).
                system.broker().start();
            }
            backAt = System.nanoTime();

            Http.Response firstAccepted = await("202 again").atMost(BACK_WITHIN.plusSeconds(5))
                    .pollInterval(Duration.ofMillis(50)).until(() -> probeTasks(1).get(0), r -> r.status() == 202);
            long firstAcceptedMillis = (System.nanoTime() - backAt) / 1_000_000;
            await().atMost(BACK_WITHIN.plusSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> services.stream().allMatch(ServiceProcess::isReady));
            long readyMillis = (System.nanoTime() - backAt) / 1_000_000;

            await().atMost(Faults.LOAD_TIMEOUT).until(load::finished);
            long slowestWhileDown = whileDown.stream().mapToLong(r -> r.nanos() / 1_000_000).max().orElse(0);
            long slowest = Math.max(slowestWhileDown,
                    load.sent().stream().mapToLong(s -> s.latencyNanos() / 1_000_000).max().orElse(0));
            long outageMillis = (backAt - stoppingAt) / 1_000_000;
            Tally tally = Tally.awaitAndCount("broker-restart", load.acceptedIds(), events,
                    () -> List.of(workerA, workerB), Faults.COMPLETION_TIMEOUT,
                    () -> Math.max(firstAcceptedMillis, readyMillis),
                    () -> "first-202=" + firstAcceptedMillis + "ms all-ready=" + readyMillis + "ms outage="
                            + outageMillis + "ms refused=" + load.refused().size() + " probes-while-down="
                            + whileDown.size() + " slowest-answer=" + slowest + "ms").report();

            assertTrue(whileDown.stream().allMatch(r -> r.status() == 503),
                    "only 503 while the broker was down: " + whileDown.stream().map(Http.Response::status).toList());
            assertTrue(load.refused().stream().allMatch(s -> s.status() == 503), "refusals are 503");
            assertTrue(slowest <= PUBLISH_TIMEOUT.toMillis() + 1_000, "no answer later than the publish timeout: "
                    + slowest + " ms");
            assertEquals(202, firstAccepted.status());
            assertTrue(firstAcceptedMillis <= BACK_WITHIN.toMillis(),
                    "202 again " + firstAcceptedMillis + " ms after the broker was back");
            assertTrue(readyMillis <= BACK_WITHIN.toMillis(), "ready again after " + readyMillis + " ms");
            assertTrue(services.stream().allMatch(ServiceProcess::isAlive), "no service restarted");
            assertEquals(Faults.BATCH, tally.accepted());
            assertEquals(0, tally.lost(), tally::line);
        }
    }

    /** {@code count} tasks sent one after the other, each answer with how long it took. */
    private static List<Http.Response> probeTasks(int count) {
        List<Http.Response> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            answers.add(Http.post(producer.url("/tasks"), "text/plain",
                    ("restart-probe-" + i + " .").getBytes(StandardCharsets.UTF_8)));
        }
        return answers;
    }
}
