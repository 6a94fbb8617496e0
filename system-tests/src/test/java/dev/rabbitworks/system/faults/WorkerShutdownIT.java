package dev.rabbitworks.system.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

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
 * Fault 4: a worker gets SIGTERM with a long task in flight. It stops taking tasks, finishes (or returns) the one in
 * hand, and exits; another worker does the rest.
 */
class WorkerShutdownIT {

    /** Each task takes the stopping worker this long: a long task, still well within its shutdown timeout (10s). */
    private static final Duration LONG_TASK = Duration.ofSeconds(2);

    private static SystemUnderTest system;
    private static TaskEvents events;
    private static ServiceProcess producer;
    private static ServiceProcess stopping;
    private static ServiceProcess staying;

    @BeforeAll
    static void startTheSystem() {
        system = SystemUnderTest.forClass(WorkerShutdownIT.class);
        events = TaskEvents.listen(system);
        producer = system.launch(Service.PRODUCER, "producer");
        stopping = system.launch(Service.WORKER, "worker-stopping",
                Map.of("WORKER_WORK_UNIT", LONG_TASK.toMillis() + "ms", "QUARKUS_SHUTDOWN_TIMEOUT", "10s"));
        staying = system.launch(Service.WORKER, "worker-staying");
        SystemUnderTest.awaitReady(producer, stopping, staying);
    }

    @AfterAll
    static void stopTheSystem() {
        Faults.close(events, system);
    }

    @Test
    void aWorkerStoppedWithSigtermFinishesTheTaskInHandTakesNoOtherAndExits() {
        try (TaskLoad load = TaskLoad.start(producer, Faults.BATCH, Faults.RATE, n -> "sigterm-" + n + " .")) {
            await().atMost(Faults.LOAD_TIMEOUT).until(() -> load.acceptedCount() >= Faults.BATCH / 3);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> stopping.metric("worker_tasks_in_progress") >= 1);
            int doneBefore = completedBy(stopping);

            long faultAt = System.nanoTime();
            stopping.terminate();
            OptionalInt exit = stopping.waitForExit(Duration.ofSeconds(20));
            long exitMillis = (System.nanoTime() - faultAt) / 1_000_000;

            assertTrue(exit.isPresent(), "exited within its shutdown timeout");
            await().atMost(Faults.LOAD_TIMEOUT).until(load::finished);
            Tally tally = Tally.awaitAndCount("worker-sigterm", load.acceptedIds(), events,
                    () -> List.of(stopping, staying), Faults.COMPLETION_TIMEOUT,
                    // Recovered = the stopping worker is gone with its task in hand done.
                    () -> exitMillis,
                    () -> "exit=" + exit.getAsInt() + " in-hand-finished="
                            + (completedBy(stopping) - doneBefore)).report();

            assertEquals(0, tally.lost(), tally::line);
            assertEquals(Faults.BATCH, tally.accepted());
            // The task in hand was finished and acked (not left to the broker); nothing was started after it.
            assertEquals(1, completedBy(stopping) - doneBefore, "tasks finished by the stopping worker after SIGTERM");
            assertTrue(stopping.logLines().stream().anyMatch(line -> line.contains("shutting down: waiting up to")),
                    "drained the task in hand");
            assertTrue(stopping.logLines().stream().noneMatch(line -> line.contains("settled=left to the broker")),
                    "no task left unsettled");
        }
    }

    private static int completedBy(ServiceProcess worker) {
        return (int) TaskEvents.fromLog(worker.name(), worker.log()).stream()
                .filter(attempt -> "completed".equals(attempt.outcome())).count();
    }
}
