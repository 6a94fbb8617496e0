package dev.rabbitworks.system.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

/**
 * The broker raises its memory alarm and blocks the producer's connection (connection.blocked): the producer
 * publishes from its HTTP event loop, so it must refuse at once rather than wait inside a socket write. Every
 * POST /tasks is a 503 within the publish timeout, the service keeps answering, and 202s resume once the alarm
 * clears, with no restart. A worker meanwhile goes on doing and acking the tasks already queued (consuming is not
 * blocked by the alarm, and draining is what ends it): its task events are skipped, not waited for.
 */
class BrokerMemoryAlarmIT {

    /** PRODUCER_PUBLISH_TIMEOUT of Service.PRODUCER's test settings. */
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(2);
    private static final int REQUESTS_DURING_ALARM = 20;

    private static SystemUnderTest system;
    private static final int TASKS_QUEUED_BEFORE_ALARM = 10;
    /** Work unit of the worker: the queued tasks take about a second to do, one at a time. */
    private static final String WORK_UNIT = "100ms";

    private static ServiceProcess producer;
    private static ServiceProcess worker;

    @BeforeAll
    static void startTheProducer() {
        Optional<String> cannot = Brokers.shared().whyItCannotBeRestarted();
        assumeTrue(cannot.isEmpty(), () -> "memory alarm test skipped: " + cannot.orElse(""));
        system = SystemUnderTest.forClass(BrokerMemoryAlarmIT.class);
        producer = system.launch(Service.PRODUCER, "producer");
        worker = system.launch(Service.WORKER, "worker", Map.of("WORKER_WORK_UNIT", WORK_UNIT));
        SystemUnderTest.awaitReady(producer, worker);
    }

    @AfterAll
    static void stopTheProducer() {
        Faults.close(null, system);
    }

    @Test
    void tasksAre503AtOnceWhileTheBrokerBlocksPublishingAnd202Again() {
        assertEquals(202, postTask("before the alarm").status());
        List<Http.Response> duringAlarm = new ArrayList<>();
        Http.Response live;
        long clearedAt;
        try {
            system.broker().memoryAlarm(true);
            for (int i = 0; i < REQUESTS_DURING_ALARM; i++) {
                duringAlarm.add(postTask("during the alarm " + i));
            }
            live = Http.get(producer.url("/q/health/live"));
        } finally {
            // Whatever happened, the alarm is cleared (the broker is shared with everything on this machine).
            system.broker().memoryAlarm(false);
            clearedAt = System.nanoTime();
        }
        await("202 again after the alarm cleared").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> postTask("after the alarm").status() == 202);
        long backMillis = (System.nanoTime() - clearedAt) / 1_000_000;

        List<Integer> statuses = duringAlarm.stream().map(Http.Response::status).toList();
        long slowest = duringAlarm.stream().mapToLong(r -> r.nanos() / 1_000_000).max().orElse(0);
        long refusedAtOnce = duringAlarm.stream().filter(r -> r.nanos() < 200_000_000L).count();
        Tally.note(String.format("[fault] memory-alarm           requests=%d status-503=%d refused-under-200ms=%d "
                + "slowest=%dms live=%d 202-again-after=%dms", duringAlarm.size(),
                statuses.stream().filter(s -> s == 503).count(), refusedAtOnce, slowest, live.status(), backMillis));

        assertTrue(statuses.stream().allMatch(s -> s == 503), "only 503 while publishing is blocked: " + statuses);
        assertTrue(slowest <= PUBLISH_TIMEOUT.toMillis() + 1_000, "no answer later than the publish timeout: "
                + slowest + " ms");
        // At most the first publish after the alarm waits for its (never coming) confirm; once the broker said
        // connection.blocked, the rest are refused without waiting.
        assertTrue(refusedAtOnce >= REQUESTS_DURING_ALARM - 2, refusedAtOnce + " of " + REQUESTS_DURING_ALARM
                + " refused at once");
        assertEquals(200, live.status(), "the producer keeps answering while blocked: " + live.body());
        assertTrue(producer.isAlive(), "no restart");
    }

    @Test
    void theWorkerGoesOnDoingAndAckingQueuedTasksDuringTheAlarm() {
        double completedBefore = worker.metric("worker_tasks_completed_total");
        for (int i = 0; i < TASKS_QUEUED_BEFORE_ALARM; i++) {
            assertEquals(202, postTask("queued before the alarm " + i + " .").status());
        }
        double completedDuringAlarm;
        try {
            system.broker().memoryAlarm(true);
            await("queued tasks done during the alarm").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> worker.metric("worker_tasks_completed_total")
                            >= completedBefore + TASKS_QUEUED_BEFORE_ALARM);
            completedDuringAlarm = worker.metric("worker_tasks_completed_total") - completedBefore;
            assertEquals(0, worker.metric("worker_tasks_in_progress"), "nothing stuck in progress");
            assertTrue(worker.isReady(), "still consuming");
        } finally {
            system.broker().memoryAlarm(false);
        }
        Tally.note(String.format("[fault] memory-alarm-worker    queued=%d completed-during-alarm=%.0f",
                TASKS_QUEUED_BEFORE_ALARM, completedDuringAlarm));
        assertTrue(worker.isAlive(), "no restart");
    }

    private static Http.Response postTask(String text) {
        return Http.post(producer.url("/tasks"), "text/plain", text.getBytes(StandardCharsets.UTF_8));
    }
}
