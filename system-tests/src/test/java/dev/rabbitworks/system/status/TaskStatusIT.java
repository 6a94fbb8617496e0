package dev.rabbitworks.system.status;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import dev.rabbitworks.broker.TopologyNames;
import dev.rabbitworks.system.support.Http;
import dev.rabbitworks.system.support.Service;
import dev.rabbitworks.system.support.ServiceProcess;
import dev.rabbitworks.system.support.SystemUnderTest;
import dev.rabbitworks.system.support.Tally;

/**
 * Task status across producer replicas: each replica answers for tasks another accepted (the event lag between them
 * is measured), a restarted producer answers for tasks accepted before it stopped (from the stream), and one
 * Idempotency-Key sent 50 times at once makes one task.
 */
class TaskStatusIT {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static SystemUnderTest system;
    private static ServiceProcess producerA;
    private static ServiceProcess producerB;
    private static ServiceProcess worker;

    @BeforeAll
    static void startTheSystem() {
        system = SystemUnderTest.forClass(TaskStatusIT.class);
        producerA = system.launch(Service.PRODUCER, "producer-a");
        producerB = system.launch(Service.PRODUCER, "producer-b");
        worker = system.launch(Service.WORKER, "worker");
        SystemUnderTest.awaitReady(producerA, producerB, worker);
    }

    @AfterAll
    static void stopTheSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aReplicaAnswersForTasksAnotherAcceptedWithinTheEventLag() {
        int tasks = 200;
        List<Long> lagsMillis = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            String id = submit(producerA, "replica-" + i + " .", null);
            long acceptedAt = System.nanoTime();
            // The first answer of B that knows the task: polled as fast as the machine allows.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(2))
                    .until(() -> Http.get(producerB.url("/tasks/" + id)).status() == 200);
            lagsMillis.add((System.nanoTime() - acceptedAt) / 1_000_000);
        }
        Collections.sort(lagsMillis);
        long p50 = lagsMillis.get(tasks / 2);
        long p99 = lagsMillis.get(tasks * 99 / 100);
        Tally.note(String.format("[status] replica-lag          tasks=%d p50=%dms p99=%dms max=%dms"
                + " (202 on producer A to the first 200 of GET on producer B, polled every 2 ms)", tasks, p50, p99,
                lagsMillis.get(tasks - 1)));
        assertTrue(p99 < WAIT.toMillis(), "every task known to the other replica");
    }

    @Test
    void aRestartedProducerAnswersForTasksAcceptedBeforeItStopped() {
        ServiceProcess producer = system.launch(Service.PRODUCER, "producer-restarted");
        SystemUnderTest.awaitReady(producer);
        List<String> ids = IntStream.range(0, 20).mapToObj(i -> submit(producer, "before-restart-" + i + " .", null))
                .toList();
        producer.kill();
        assertTrue(producer.waitForExit(Duration.ofSeconds(20)).isPresent(), "the producer is gone");

        ServiceProcess again = system.launch(Service.PRODUCER, "producer-restarted");
        SystemUnderTest.awaitReady(again);
        for (String id : ids) {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                    .until(() -> Http.get(again.url("/tasks/" + id)).status() == 200);
        }
        again.terminate();
    }

    /**
     * While a restarted producer is still reading the stream (made long here by 100,000 older events ahead of the
     * tasks), it answers 503 for a status and for a keyed submit, never a 404 for a task that exists nor a second
     * task for a key already used; once it has read the stream, 200 and the original task.
     */
    @Test
    void aProducerStillReadingTheStreamNeitherDeniesATaskNorRepeatsOne() throws Exception {
        ServiceProcess producer = system.launch(Service.PRODUCER, "producer-loading");
        SystemUnderTest.awaitReady(producer);
        appendOlderEvents(100_000);
        String key = "loading-" + UUID.randomUUID();
        String id = submit(producer, "loading .", key);
        producer.kill();
        assertTrue(producer.waitForExit(Duration.ofSeconds(20)).isPresent(), "the producer is gone");

        ServiceProcess again = system.launch(Service.PRODUCER, "producer-loading");
        List<Integer> statusAnswers = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> {
            int status = Http.get(again.url("/tasks/" + id)).status();
            if (status != -1) {
                statusAnswers.add(status);
            }
            return status == 200;
        });
        Set<Integer> seen = Set.copyOf(statusAnswers);
        assertTrue(Set.of(200, 503).containsAll(seen), "answers while loading: " + seen);
        assertEquals(id, submitKnown(again, "loading .", key), "the key gives the original task");
        Tally.note(String.format("[status] restart-loading      older-events=100000 status-answers=%d of which 503=%d",
                statusAnswers.size(), statusAnswers.stream().filter(s -> s == 503).count()));
        again.terminate();
    }

    /** Lifecycle events of other, finished tasks, written straight into the stream (nobody else sees them). */
    private static void appendOlderEvents(int count) throws Exception {
        try (Connection connection = system.connect("system-tests-older-events");
                Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (int i = 0; i < count; i++) {
                String event = "{\"taskId\":\"" + UUID.randomUUID() + "\",\"state\":\"completed\",\"attempt\":1,"
                        + "\"worker\":\"older\",\"timestamp\":\"2026-01-01T00:00:00Z\"}";
                channel.basicPublish("", TopologyNames.DEFAULTS.taskEventsStream(), null, event.getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(60_000);
        }
    }

    /** POST /tasks with a key already used: 503 while the producer is loading, then 202 with the task's id. */
    private static String submitKnown(ServiceProcess producer, String body, String key) {
        String[] id = new String[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            Http.Response response = Http.send(HttpRequest.newBuilder(URI.create(producer.url("/tasks")))
                    .header("Content-Type", "text/plain").header("Idempotency-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
            assertTrue(response.status() == 202 || response.status() == 503, response.status() + " " + response.body());
            Matcher match = ID.matcher(response.body());
            if (response.status() == 202 && match.find()) {
                id[0] = match.group(1);
                return true;
            }
            return false;
        });
        return id[0];
    }

    @Test
    void fiftyConcurrentSubmitsWithOneKeyMakeOneTask() {
        String key = "order-" + UUID.randomUUID();
        double tasksBefore = tasksPublished(producerA);
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<String>> answers = IntStream.range(0, 50)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> submit(producerA, "keyed .", key), clients))
                    .toList();
            Set<String> ids = answers.stream().map(CompletableFuture::join).collect(Collectors.toSet());

            assertEquals(1, ids.size(), "one task for one key: " + ids);
            assertEquals(tasksBefore + 1, tasksPublished(producerA), "one task published for 50 requests");
            String id = ids.iterator().next();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                    .until(() -> Http.get(producerB.url("/tasks/" + id)).status() == 200);
        } finally {
            clients.shutdownNow();
        }
    }

    private static double tasksPublished(ServiceProcess producer) {
        return producer.metric("producer_publishes_total", "target=\"task\"");
    }

    /** POST /tasks (with the key when not null); the accepted task's id. */
    private static String submit(ServiceProcess producer, String body, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(producer.url("/tasks")))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        Http.Response response = Http.send(request);
        assertEquals(202, response.status(), response.body());
        Matcher id = ID.matcher(response.body());
        assertTrue(id.find(), response.body());
        return id.group(1);
    }
}
