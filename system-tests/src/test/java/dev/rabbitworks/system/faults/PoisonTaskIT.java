package dev.rabbitworks.system.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;

import dev.rabbitworks.broker.MessagingContract;
import dev.rabbitworks.broker.TopologyNames;
import dev.rabbitworks.system.support.Amqp;
import dev.rabbitworks.system.support.Http;
import dev.rabbitworks.system.support.Service;
import dev.rabbitworks.system.support.ServiceProcess;
import dev.rabbitworks.system.support.SystemUnderTest;
import dev.rabbitworks.system.support.Tally;
import dev.rabbitworks.system.support.TaskEvents;
import dev.rabbitworks.system.support.TaskLoad;

/**
 * A task that always fails is retried with a growing delay a bounded number of times and ends in task_queue.dead
 * with its failure reason in headers, while the other tasks keep flowing; a task that fails once is completed.
 */
class PoisonTaskIT {

    /** As Service.WORKER's test settings: WORKER_RETRY_DELAYS=500ms,1s,2s. */
    private static final List<Duration> RETRY_DELAYS = List.of(Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(2));
    private static final String DEAD_LETTERS = TopologyNames.DEFAULTS.deadLetterQueue();
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private static SystemUnderTest system;
    private static TaskEvents events;
    private static ServiceProcess producer;
    private static ServiceProcess workerA;
    private static ServiceProcess workerB;
    private static Connection amqp;

    @BeforeAll
    static void startTheSystem() {
        system = SystemUnderTest.forClass(PoisonTaskIT.class);
        events = TaskEvents.listen(system);
        producer = system.launch(Service.PRODUCER, "producer");
        workerA = system.launch(Service.WORKER, "worker-a");
        workerB = system.launch(Service.WORKER, "worker-b");
        SystemUnderTest.awaitReady(producer, workerA, workerB);
        amqp = system.connect("system-tests-poison");
    }

    @AfterAll
    static void stopTheSystem() {
        try {
            if (amqp != null) {
                amqp.abort();
            }
        } finally {
            Faults.close(events, system);
        }
    }

    @Test
    void aPoisonTaskIsRetriedWithGrowingDelaysThenDeadLetteredWithItsReasonWhileOtherTasksFlow() throws Exception {
        try (TaskLoad load = TaskLoad.start(producer, 200, 50, n -> "poison-batch-" + n + " .")) {
            await().atMost(Faults.LOAD_TIMEOUT).until(() -> load.acceptedCount() >= 10);
            String poisonId = postTask("fail: poison " + UUID.randomUUID());

            GetResponse deadLetter = awaitDeadLetter(poisonId, Duration.ofSeconds(30));
            await().atMost(Faults.LOAD_TIMEOUT).until(load::finished);
            Tally tally = Tally.awaitAndCount("poison-task", load.acceptedIds(), events,
                    () -> List.of(workerA, workerB), Faults.COMPLETION_TIMEOUT, () -> Tally.NOT_APPLICABLE,
                    () -> "poison=dead-lettered attempts=" + deadLetter.getProps().getHeaders().get("x-attempts")
                            + " retry-delays-seen=" + delaysMillis(poisonId) + "ms").report();

            Map<String, Object> headers = deadLetter.getProps().getHeaders();
            assertTrue(String.valueOf(headers.get("x-failure-reason")).contains("asked to fail"), headers::toString);
            assertEquals(RETRY_DELAYS.size() + 1, ((Number) headers.get("x-attempts")).intValue());
            assertDoesNotThrow(() -> Instant.parse(String.valueOf(headers.get("x-failed-at"))));
            assertNotNull(headers.get("x-failed-by"));
            assertTrue(new String(deadLetter.getBody(), StandardCharsets.UTF_8).startsWith("fail: poison"));

            List<TaskEvents.Attempt> attempts = events.outcomesOf(poisonId);
            assertEquals(List.of(1, 2, 3, 4), attempts.stream().map(TaskEvents.Attempt::attempt).toList());
            assertTrue(attempts.stream().allMatch(a -> "failed".equals(a.outcome())), attempts::toString);
            // Its status moves through every state: each attempt started, failed and retrying, the last one dead.
            await().atMost(Duration.ofSeconds(10)).until(() -> events.workerEventsOf(poisonId).stream()
                    .anyMatch(e -> "dead".equals(e.state())));
            List<String> lifecycle = events.workerEventsOf(poisonId).stream()
                    .map(TaskEvents.Attempt::stateAndAttempt).toList();
            assertEquals(List.of("started 1", "failed 1", "retrying 1", "started 2", "failed 2", "retrying 2",
                    "started 3", "failed 3", "retrying 3", "started 4", "failed 4", "dead 4"), lifecycle);
            TaskEvents.Attempt dead = events.workerEventsOf(poisonId).get(lifecycle.size() - 1);
            assertTrue(String.valueOf(dead.reason()).contains("asked to fail"), dead::toString);
            List<Long> delays = delaysMillis(poisonId);
            for (int retry = 0; retry < delays.size(); retry++) {
                long delay = RETRY_DELAYS.get(retry).toMillis();
                assertTrue(delays.get(retry) >= delay,
                        "retry " + (retry + 1) + " started " + delays + " ms after it was sent, delays " + RETRY_DELAYS);
            }
            assertTrue(delays.get(2) > delays.get(0), "growing: " + delays);

            // The other tasks flowed while the poison waited for its retries.
            long first = attempts.get(0).seenAtNanos();
            long last = attempts.get(attempts.size() - 1).seenAtNanos();
            long doneMeanwhile = events.events().stream().filter(e -> "completed".equals(e.outcome())
                    && e.seenAtNanos() > first && e.seenAtNanos() < last).count();
            assertTrue(doneMeanwhile > 0, "tasks completed between the poison's first and last attempt");
            assertEquals(0, tally.lost(), tally::line);
            assertEquals(0, Amqp.depth(amqp, DEAD_LETTERS), "only the poison was dead-lettered");
        }
    }

    @Test
    void aTaskThatFailsOnceIsCompletedNotDeadLettered() {
        long deadBefore = Amqp.depth(amqp, DEAD_LETTERS);

        String flakyId = postTask("flaky " + UUID.randomUUID() + " .");

        await().atMost(Duration.ofSeconds(20)).until(() -> events.outcomesOf(flakyId).size() >= 2);
        List<TaskEvents.Attempt> attempts = events.outcomesOf(flakyId);
        assertEquals(List.of("1 failed", "2 completed"),
                attempts.stream().map(a -> a.attempt() + " " + a.outcome()).toList());
        assertEquals(List.of("started 1", "failed 1", "retrying 1", "started 2", "completed 2"),
                events.workerEventsOf(flakyId).stream().map(TaskEvents.Attempt::stateAndAttempt).toList());
        assertEquals(deadBefore, Amqp.depth(amqp, DEAD_LETTERS));
        for (int level = 1; level <= RETRY_DELAYS.size(); level++) {
            assertEquals(0, Amqp.depth(amqp, MessagingContract.retryQueue(TopologyNames.DEFAULTS, level)), "retry queue " + level);
        }
    }

    private static String postTask(String body) {
        Http.Response response = Http.post(producer.url("/tasks"), "text/plain", body.getBytes(StandardCharsets.UTF_8));
        assertEquals(202, response.status(), response::body);
        Matcher id = ID.matcher(response.body());
        assertTrue(id.find(), response::body);
        return id.group(1);
    }

    /**
     * For each retry, the time from the task.retrying event to the next attempt's task.started, by the events' own
     * timestamps (the worker's clock: retrying is stamped when the task is sent to its retry queue, where the delay
     * starts), not by their arrival, which lags by a varying amount on a loaded machine. Both events of a retry may
     * come from different workers on this machine's one clock.
     */
    private static List<Long> delaysMillis(String taskId) {
        List<TaskEvents.Attempt> lifecycle = events.workerEventsOf(taskId);
        List<Long> delays = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            int retried = attempt;
            Optional<TaskEvents.Attempt> retrying = lifecycle.stream()
                    .filter(e -> "retrying".equals(e.state()) && e.attempt() == retried).findFirst();
            Optional<TaskEvents.Attempt> next = lifecycle.stream()
                    .filter(e -> "started".equals(e.state()) && e.attempt() == retried + 1).findFirst();
            if (retrying.isEmpty() || next.isEmpty()) {
                return delays;
            }
            delays.add(Duration.between(retrying.get().timestamp(), next.get().timestamp()).toMillis());
        }
    }

    private static GetResponse awaitDeadLetter(String messageId, Duration atMost) throws Exception {
        AtomicReference<GetResponse> found = new AtomicReference<>();
        try (Channel channel = amqp.createChannel()) {
            await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
                GetResponse response = channel.basicGet(DEAD_LETTERS, true);
                if (response != null && messageId.equals(response.getProps().getMessageId())) {
                    found.set(response);
                }
                return found.get() != null;
            });
        }
        return found.get();
    }
}
