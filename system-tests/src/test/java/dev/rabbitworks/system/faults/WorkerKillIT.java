package dev.rabbitworks.system.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.rabbitworks.system.support.Service;
import dev.rabbitworks.system.support.ServiceProcess;
import dev.rabbitworks.system.support.SystemUnderTest;
import dev.rabbitworks.system.support.Tally;
import dev.rabbitworks.system.support.TaskEvents;
import dev.rabbitworks.system.support.TaskLoad;

/** Fault 1: a worker process is killed (SIGKILL) in the middle of a task while a second worker runs. */
class WorkerKillIT {

    private static SystemUnderTest system;
    private static TaskEvents events;
    private static ServiceProcess producer;
    private static ServiceProcess slowWorker;
    private static ServiceProcess otherWorker;

    @BeforeAll
    static void startTheSystem() {
        system = SystemUnderTest.forClass(WorkerKillIT.class);
        events = TaskEvents.listen(system);
        producer = system.launch(Service.PRODUCER, "producer");
        // Slow work units: the worker to kill is nearly always in the middle of a task.
        slowWorker = system.launch(Service.WORKER, "worker-killed", Map.of("WORKER_WORK_UNIT", "200ms"));
        otherWorker = system.launch(Service.WORKER, "worker-survivor");
        SystemUnderTest.awaitReady(producer, slowWorker, otherWorker);
    }

    @AfterAll
    static void stopTheSystem() {
        Faults.close(events, system);
    }

    @Test
    void noAcceptedTaskIsLostWhenAWorkerIsKilledMidTask() {
        try (TaskLoad load = TaskLoad.start(producer, Faults.BATCH, Faults.RATE, n -> "sigkill-" + n + " .")) {
            await().atMost(Faults.LOAD_TIMEOUT).until(() -> load.acceptedCount() >= Faults.BATCH / 3);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> slowWorker.metric("worker_tasks_in_progress") >= 1);

            long faultAt = System.nanoTime();
            slowWorker.kill();
            assertFalse(slowWorker.isAlive());

            await().atMost(Faults.LOAD_TIMEOUT).until(load::finished);
            Tally tally = Tally.awaitAndCount("worker-sigkill", load.acceptedIds(), events,
                    () -> List.of(slowWorker, otherWorker), Faults.COMPLETION_TIMEOUT,
                    () -> Faults.millisUntilRedone(events, otherWorker.name(), faultAt),
                    () -> "refused=" + load.refused().size()).report();

            assertEquals(Faults.BATCH, tally.accepted(), "every task accepted: " + load.refused());
            assertEquals(0, tally.lost(), tally::line);
            assertTrue(otherWorker.isReady(), "the other worker carries on");
        }
    }
}
