package dev.rabbitworks.system.status;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.rabbitworks.system.support.Http;
import dev.rabbitworks.system.support.Service;
import dev.rabbitworks.system.support.ServiceProcess;
import dev.rabbitworks.system.support.SystemUnderTest;

/**
 * What GET /tasks/{id} tells through faults: a poison task is seen retrying, then dead with its reason; a task
 * whose worker is SIGKILLed mid-task shows a second attempt and ends completed. Each test has its own system.
 */
class TaskStatusFaultsIT {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private SystemUnderTest system;
    private ServiceProcess producer;

    @BeforeEach
    void startTheProducer() {
        system = SystemUnderTest.forClass(TaskStatusFaultsIT.class);
        producer = system.launch(Service.PRODUCER, "producer");
        SystemUnderTest.awaitReady(producer);
    }

    @AfterEach
    void stopTheSystem() {
        system.close();
    }

    @Test
    void aPoisonTaskIsSeenRetryingThenDeadWithItsReason() {
        ServiceProcess worker = system.launch(Service.WORKER, "worker");
        SystemUnderTest.awaitReady(worker);

        String id = submit("fail on purpose");

        // Retries are 0.5 s, 1 s and 2 s apart in the tests: a poll every 50 ms sees them.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> state(id).equals("retrying"));
        String dead = Http.get(producer.url("/tasks/" + id + "?wait=20s")).body();
        assertEquals("dead", field(dead, "state"), dead);
        assertEquals("4", field(dead, "attempts"), dead);
        assertTrue(!field(dead, "reason").isEmpty(), dead);
    }

    @Test
    void aTaskWhoseWorkerIsKilledShowsASecondAttemptAndEndsCompleted() {
        ServiceProcess doomed = system.launch(Service.WORKER, "worker-killed", Map.of("WORKER_WORK_UNIT", "500ms"));
        SystemUnderTest.awaitReady(doomed);

        String id = submit("long ......");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> state(id).equals("started"));
        doomed.kill();
        assertTrue(doomed.waitForExit(Duration.ofSeconds(20)).isPresent(), "the worker is gone");
        ServiceProcess survivor = system.launch(Service.WORKER, "worker-survivor");
        SystemUnderTest.awaitReady(survivor);

        String done = Http.get(producer.url("/tasks/" + id + "?wait=25s")).body();
        assertEquals("completed", field(done, "state"), done);
        assertEquals("2", field(done, "attempts"), done);
        assertEquals("worker-survivor", field(done, "worker"), done);
    }

    private String submit(String body) {
        Http.Response response = Http.post(producer.url("/tasks"), "text/plain",
                body.getBytes(StandardCharsets.UTF_8));
        assertEquals(202, response.status(), response.body());
        Matcher id = ID.matcher(response.body());
        assertTrue(id.find(), response.body());
        return id.group(1);
    }

    private String state(String id) {
        Http.Response status = Http.get(producer.url("/tasks/" + id));
        return status.status() == 200 ? field(status.body(), "state") : "";
    }

    /** A top-level string or number field of a flat JSON object, as text ("" when absent). */
    private static String field(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\"\\s*:\\s*(\"([^\"]*)\"|(-?\\d+))").matcher(json);
        if (!value.find()) {
            return "";
        }
        return value.group(2) != null ? value.group(2) : value.group(3);
    }
}
