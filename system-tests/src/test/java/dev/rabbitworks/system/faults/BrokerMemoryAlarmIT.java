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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Connection;

import dev.rabbitworks.broker.TopologyNames;
import dev.rabbitworks.system.support.Amqp;
import dev.rabbitworks.system.support.Brokers;
import dev.rabbitworks.system.support.Http;
import dev.rabbitworks.system.support.Service;
import dev.rabbitworks.system.support.ServiceProcess;
import dev.rabbitworks.system.support.SystemUnderTest;
import dev.rabbitworks.system.support.Tally;
import dev.rabbitworks.system.support.TaskEvents;

/**
 * The broker raises its memory alarm and blocks the producer's connection (connection.blocked): the producer
 * publishes from its HTTP event loop, so it must refuse at once rather than wait inside a socket write. Every
 * POST /tasks is a 503 within the publish timeout, the service keeps answering, and 202s resume once the alarm
 * clears, with no restart. A worker (worker.event-delivery=confirmed, the default) meanwhile takes no task: each task's
 * final event must be confirmed before its ack, and no event can go out. It says so (log line, readiness data), holds
 * the task in hand unacked, leaves the rest queued, and runs none in a loop; once the alarm clears it does every task,
 * each once, and every task's status ends completed.
 */
class BrokerMemoryAlarmIT {

    /** PRODUCER_PUBLISH_TIMEOUT of Service.PRODUCER's test settings. */
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(2);
    private static final int REQUESTS_DURING_ALARM = 20;

    private static SystemUnderTest system;
    private static final int TASKS_QUEUED_BEFORE_ALARM = 20;
    /** Work unit of the worker: the queued tasks take 6 s to do, one at a time, so most are still queued at the alarm. */
    private static final String WORK_UNIT = "300ms";

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private static ServiceProcess producer;
    private static ServiceProcess worker;
    private static TaskEvents events;
    private static Connection amqp;

    @BeforeAll
    static void startTheProducer() {
        Optional<String> cannot = Brokers.shared().whyItCannotBeRestarted();
        assumeTrue(cannot.isEmpty(), () -> "memory alarm test skipped: " + cannot.orElse(""));
        system = SystemUnderTest.forClass(BrokerMemoryAlarmIT.class);
        events = TaskEvents.listen(system);
        amqp = system.connect("system-tests-alarm");
        producer = system.launch(Service.PRODUCER, "producer");
        worker = system.launch(Service.WORKER, "worker", Map.of("WORKER_WORK_UNIT", WORK_UNIT));
        SystemUnderTest.awaitReady(producer, worker);
    }

    @AfterAll
    static void stopTheProducer() {
        try {
            if (amqp != null) {
                amqp.abort();
            }
        } finally {
            Faults.close(events, system);
        }
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
    void theWorkerTakesNoTaskDuringTheAlarmLosesNoneAndDoesEachOnceAfterwards() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < TASKS_QUEUED_BEFORE_ALARM; i++) {
            Http.Response accepted = postTask("queued before the alarm " + i + " .");
            assertEquals(202, accepted.status());
            ids.add(id(accepted));
        }
        double completedAtAlarm;
        long queuedAtAlarm;
        String readiness;
        long clearedAt;
        // The log file is appended to by every run: only what this test makes the worker write counts.
        int logLinesBefore = worker.logLines().size();
        try {
            system.broker().memoryAlarm(true);
            await("the worker pauses").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> logSince(logLinesBefore).anyMatch(line -> line.contains("taking no task from")));
            completedAtAlarm = worker.metric("worker_tasks_completed_total");
            queuedAtAlarm = Amqp.depth(amqp, TopologyNames.DEFAULTS.taskQueue());
            readiness = Http.get(worker.url("/q/health/ready")).body();
            // No task taken, none in a loop: what was queued stays queued; at most the one in hand gets done (held).
            await("nothing taken during the alarm").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> Amqp.depth(amqp, TopologyNames.DEFAULTS.taskQueue()) == queuedAtAlarm
                            && worker.metric("worker_tasks_completed_total") <= completedAtAlarm + 1
                            && worker.metric("worker_tasks_in_progress") <= 1);
            assertTrue(worker.isReady(), "ready: the worker is fine, the broker is not");
        } finally {
            system.broker().memoryAlarm(false);
            clearedAt = System.nanoTime();
        }
        Tally tally = Tally.awaitAndCount("memory-alarm-worker", ids, events, () -> List.of(worker),
                Duration.ofSeconds(30), () -> (System.nanoTime() - clearedAt) / 1_000_000,
                () -> "queued-at-alarm=" + queuedAtAlarm).report();

        assertTrue(readiness.contains("\"paused\": true") || readiness.contains("\"paused\":true"), readiness);
        assertTrue(queuedAtAlarm > 0, "tasks were still queued when the alarm came (a slower work unit is needed)");
        assertEquals(0, tally.lost(), tally::line);
        assertEquals(0, tally.duplicated(), "each task done once: " + tally.line());
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(10)).until(() -> statusOf(id).contains("\"state\":\"completed\""));
        }
        assertTrue(logSince(logLinesBefore).anyMatch(line -> line.contains("consuming task_queue again")),
                "consumes again after the alarm");
        assertTrue(worker.isAlive(), "no restart");
    }

    private static java.util.stream.Stream<String> logSince(int line) {
        List<String> lines = worker.logLines();
        return lines.subList(Math.min(line, lines.size()), lines.size()).stream();
    }

    /** GET /tasks/{id}: the task's status from the task_events stream. */
    private static String statusOf(String id) {
        return Http.get(producer.url("/tasks/" + id)).body().replace(" ", "");
    }

    private static String id(Http.Response accepted) {
        Matcher id = ID.matcher(accepted.body());
        assertTrue(id.find(), accepted::body);
        return id.group(1);
    }

    private static Http.Response postTask(String text) {
        return Http.post(producer.url("/tasks"), "text/plain", text.getBytes(StandardCharsets.UTF_8));
    }
}
