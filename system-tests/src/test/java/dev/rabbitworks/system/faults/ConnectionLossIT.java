package dev.rabbitworks.system.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.rabbitworks.system.support.Service;
import dev.rabbitworks.system.support.ServiceProcess;
import dev.rabbitworks.system.support.SystemUnderTest;
import dev.rabbitworks.system.support.Tally;
import dev.rabbitworks.system.support.TaskEvents;
import dev.rabbitworks.system.support.TaskLoad;

/**
 * Fault 2: the broker closes the producer's and the workers' connections (management API, as an operator would,
 * {@code DELETE /api/connections/{name}}) under load; the services reconnect by themselves.
 */
class ConnectionLossIT {

    private static SystemUnderTest system;
    private static TaskEvents events;
    private static ServiceProcess producer;
    private static ServiceProcess workerA;
    private static ServiceProcess workerB;

    @BeforeAll
    static void startTheSystem() {
        system = SystemUnderTest.forClass(ConnectionLossIT.class);
        events = TaskEvents.listen(system);
        producer = system.launch(Service.PRODUCER, "producer");
        workerA = system.launch(Service.WORKER, "worker-a");
        workerB = system.launch(Service.WORKER, "worker-b");
        SystemUnderTest.awaitReady(producer, workerA, workerB);
    }

    @AfterAll
    static void stopTheSystem() {
        Faults.close(events, system);
    }

    @Test
    void noAcceptedTaskIsLostWhenTheBrokerClosesTheServicesConnections() {
        // The management API lists new connections with a delay (its statistics interval): wait before the load.
        // One connection per service process: the producer and two workers.
        await().atMost(Duration.ofSeconds(20)).until(() -> serviceConnections().size() >= 3);
        try (TaskLoad load = TaskLoad.start(producer, Faults.BATCH, Faults.RATE, n -> "conn-" + n + " .")) {
            await().atMost(Faults.LOAD_TIMEOUT).until(() -> load.acceptedCount() >= Faults.BATCH / 3);
            List<String> closed = serviceConnections();

            long faultAt = System.nanoTime();
            closed.forEach(system.admin()::closeConnection);

            // Each service connects again by itself (new connections, nothing restarted), and is ready again.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> producer.isReady() && workerA.isReady() && workerB.isReady());
            long readyMillis = (System.nanoTime() - faultAt) / 1_000_000;
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<String> now = serviceConnections();
                assertTrue(now.stream().noneMatch(closed::contains), "old connections gone: " + now);
                assertFalse(system.admin().connections(system.vhost(), "producer-service").isEmpty(), "producer back");
                for (ServiceProcess worker : List.of(workerA, workerB)) {
                    assertFalse(system.admin().connections(system.vhost(), "worker-service " + worker.name())
                            .isEmpty(), worker.name() + " back");
                }
            });

            await().atMost(Faults.LOAD_TIMEOUT).until(load::finished);
            Tally tally = Tally.awaitAndCount("connections-closed", load.acceptedIds(), events,
                    () -> List.of(workerA, workerB), Faults.COMPLETION_TIMEOUT,
                    () -> Faults.millisUntilEndToEnd(load, events, faultAt),
                    () -> "refused=" + load.refused().size() + " ready-again=" + readyMillis + "ms").report();

            assertEquals(Faults.BATCH, tally.accepted());
            assertEquals(0, tally.lost(), tally::line);
            assertFalse(load.refused().stream().anyMatch(s -> s.status() != 503),
                    "refused only with 503: " + load.refused());
            assertTrue(producer.isAlive() && workerA.isAlive() && workerB.isAlive(), "no service restarted");
        }
    }

    /**
     * The producer's and the workers' connections in this virtual host (broker-side names): the producer's one, and
     * per worker its consumer, its event publisher and its retry publisher.
     */
    private static List<String> serviceConnections() {
        List<String> names = new ArrayList<>(system.admin().connections(system.vhost(), "producer-service"));
        names.addAll(system.admin().connections(system.vhost(), "worker-service"));
        return names;
    }
}
