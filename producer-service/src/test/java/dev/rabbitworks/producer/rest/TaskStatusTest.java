package dev.rabbitworks.producer.rest;

import static dev.rabbitworks.producer.ProducerTests.assertProblem;
import static dev.rabbitworks.producer.ProducerTests.request;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;

import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.producer.ProducerTests;
import dev.rabbitworks.producer.status.TaskEventsReader;
import dev.rabbitworks.producer.status.TaskStatusIndex;
import dev.rabbitworks.testing.AmqpTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * GET /tasks/{id} answers from the lifecycle events on the stream, whatever their order; ?wait holds the answer
 * until the task ends; POST /tasks with an Idempotency-Key publishes once per key.
 */
@QuarkusTest
class TaskStatusTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    TopologyConfig topology;

    @Inject
    TaskEventsReader reader;

    @Inject
    TaskStatusIndex index;

    @Inject
    MeterRegistry registry;

    private AmqpTestClient amqp;

    @BeforeEach
    void connect() {
        ProducerTests.awaitReady();
        await().atMost(WAIT).until(reader::isConsuming);
        // The stream read to its end (the replica's own marker came back): statuses and keys are complete.
        await().atMost(WAIT).until(index::isLoaded);
        amqp = AmqpTestClient.connect();
        amqp.purge(topology.taskQueue());
    }

    @AfterEach
    void close() {
        amqp.close();
    }

    @Test
    void anAcceptedTaskIsKnownAtOnceAndItsAcceptanceIsPublished() {
        String accepted = amqp.declareBoundQueue(topology.topicExchange(), "task.accepted");

        String id = submit("resize...", null).jsonPath().getString("id");

        request().get("/tasks/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("state", equalTo("accepted")).body("attempts", equalTo(0))
                .body("acceptedAt", notNullValue());
        GetResponse event = amqp.awaitMessage(accepted, WAIT);
        String body = new String(event.getBody(), StandardCharsets.UTF_8);
        assertTrue(body.contains("\"taskId\":\"" + id + "\"") && body.contains("\"state\":\"accepted\""), body);
    }

    @Test
    void aBatchIsAnnouncedInOneMessage() {
        String accepted = amqp.declareBoundQueue(topology.topicExchange(), "task.accepted");

        List<String> ids = request().contentType("application/json").body("[\"a\", \"b\", \"c\", \"d\", \"e\"]")
                .post("/tasks/batch").then().statusCode(202).extract().jsonPath().getList("ids", String.class);

        // An earlier test's events may still come first; the batch's are all in one message, a JSON array.
        String body;
        do {
            body = new String(amqp.awaitMessage(accepted, WAIT).getBody(), StandardCharsets.UTF_8);
        } while (!body.contains(ids.get(0)));
        assertTrue(body.startsWith("["), body);
        for (String id : ids) {
            assertTrue(body.contains("\"taskId\":\"" + id + "\""), id + " in " + body);
        }
    }

    @Test
    void tasksAcceptedMeanwhileGoOutTogetherAndNoneIsLeftOut() {
        String accepted = amqp.declareBoundQueue(topology.topicExchange(), "task.accepted");
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            Set<String> ids = IntStream.range(0, 200)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> submit("together.", null), clients))
                    .toList().stream().map(CompletableFuture::join)
                    .map(answer -> answer.jsonPath().getString("id")).collect(Collectors.toSet());

            // Every task is announced; while one message waits for its confirm, the next tasks' events wait
            // and share the following one, so 16 clients at once need fewer messages than tasks.
            Set<String> announced = new HashSet<>();
            int messages = 0;
            while (!announced.containsAll(ids)) {
                String body = new String(amqp.awaitMessage(accepted, WAIT).getBody(), StandardCharsets.UTF_8);
                messages++;
                ids.stream().filter(id -> body.contains("\"taskId\":\"" + id + "\"")).forEach(announced::add);
            }
            assertTrue(messages < ids.size(), messages + " messages for " + ids.size() + " tasks");
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aReplicaSkipsItsOwnAcceptedEventsAndReadsAnothers() {
        String accepted = amqp.declareBoundQueue(topology.topicExchange(), "task.accepted");
        double appliedBefore = registry.counter("producer.task.events", "result", "applied").count();

        String id = submit("own.", null).jsonPath().getString("id");
        String body;
        do {
            body = new String(amqp.awaitMessage(accepted, WAIT).getBody(), StandardCharsets.UTF_8);
        } while (!body.contains(id));
        // Another replica's announcement, behind ours in the stream: once it is applied, ours has been read too.
        String others = UUID.randomUUID().toString();
        amqp.publish(topology.topicExchange(), "task.accepted", new AMQP.BasicProperties.Builder()
                .headers(Map.of("x-task-events-replica", "another-replica")).build(),
                ("[{\"taskId\":\"" + others + "\",\"state\":\"accepted\",\"attempt\":0,\"timestamp\":\""
                        + Instant.now() + "\"}]").getBytes(StandardCharsets.UTF_8));

        await().atMost(WAIT).untilAsserted(() -> request().get("/tasks/" + others).then().statusCode(200));
        assertEquals(appliedBefore + 1, registry.counter("producer.task.events", "result", "applied").count(),
                "only the other replica's event was read");
        request().get("/tasks/" + id).then().statusCode(200).body("state", equalTo("accepted"));
    }

    @Test
    void theWorkersEventsMoveTheStatusForward() {
        String id = submit("work.", null).jsonPath().getString("id");

        publishEvent(id, "started", 1, "worker-a", null);
        publishEvent(id, "failed", 1, "worker-a", "boom");
        publishEvent(id, "retrying", 1, "worker-a", "boom");
        publishEvent(id, "started", 2, "worker-b", null);
        publishEvent(id, "completed", 2, "worker-b", null);

        await().atMost(WAIT).untilAsserted(() -> request().get("/tasks/" + id).then().statusCode(200)
                .body("state", equalTo("completed")).body("attempts", equalTo(2)).body("worker", equalTo("worker-b"))
                .body("startedAt", notNullValue()).body("finishedAt", notNullValue()));
    }

    @Test
    void eventsInAnyOrderEndInTheRightState() {
        String id = UUID.randomUUID().toString();
        publishEvent(id, "dead", 4, "worker-a", "poison");
        publishEvent(id, "started", 4, "worker-a", null);
        publishEvent(id, "accepted", 0, null, null);

        await().atMost(WAIT).untilAsserted(() -> request().get("/tasks/" + id).then().statusCode(200)
                .body("state", equalTo("dead")).body("reason", equalTo("poison")).body("acceptedAt", notNullValue()));
    }

    @Test
    void aWaitEndsAsSoonAsTheTaskEnds() {
        String id = submit("work.", null).jsonPath().getString("id");
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(
                () -> request().get("/tasks/" + id + "?wait=20s"));

        publishEvent(id, "completed", 1, "worker-a", null);

        Response answer = waiting.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
        assertEquals(200, answer.statusCode());
        assertEquals("completed", answer.jsonPath().getString("state"));
    }

    @Test
    void aWaitThatRunsOutAnswersTheCurrentState() {
        String id = submit("work.", null).jsonPath().getString("id");

        request().get("/tasks/" + id + "?wait=300ms").then().statusCode(200).body("state", equalTo("accepted"));
    }

    @Test
    void unknownAndMalformedQueriesAreProblems() {
        assertProblem(request().get("/tasks/" + UUID.randomUUID()).then(), 404);
        assertProblem(given().urlEncodingEnabled(false).get("/tasks/a%20b").then(), 400);
        assertProblem(request().get("/tasks/" + UUID.randomUUID() + "?wait=soon").then(), 400);
    }

    @Test
    void eventsThatCannotBeReadAreCountedAndSkipped() {
        double skippedBefore = registry.counter("producer.task.events", "result", "skipped").count();
        amqp.publish(topology.topicExchange(), "task.completed", new AMQP.BasicProperties(),
                "not json".getBytes(StandardCharsets.UTF_8));
        amqp.publish(topology.topicExchange(), "task.completed", new AMQP.BasicProperties(),
                "{\"taskId\":\"x\",\"state\":\"exploded\"}".getBytes(StandardCharsets.UTF_8));
        // Another replica's end-of-replay marker is expected traffic: neither a task nor a skipped event.
        amqp.publish("", topology.taskEventsStream(), new AMQP.BasicProperties.Builder()
                .headers(Map.of("x-task-events-marker", "another-replica")).build(), new byte[0]);
        // In an array, the events that can be read are applied and the others skipped.
        String inArray = UUID.randomUUID().toString();
        amqp.publish(topology.topicExchange(), "task.accepted", new AMQP.BasicProperties(),
                ("[{\"taskId\":\"x\",\"state\":\"exploded\"}, {\"taskId\":\"" + inArray
                        + "\",\"state\":\"accepted\",\"attempt\":0,\"timestamp\":\"" + Instant.now() + "\"}]")
                        .getBytes(StandardCharsets.UTF_8));
        String id = UUID.randomUUID().toString();
        publishEvent(id, "started", 1, "worker-a", null);

        await().atMost(WAIT).untilAsserted(() -> request().get("/tasks/" + id).then().statusCode(200));
        request().get("/tasks/" + inArray).then().statusCode(200).body("state", equalTo("accepted"));
        assertEquals(skippedBefore + 3, registry.counter("producer.task.events", "result", "skipped").count());
    }

    @Test
    void theSameKeyAndBodyPublishOnceAndAnswerTheFirstTask() {
        String key = UUID.randomUUID().toString();

        Response first = submit("once.", key);
        Response again = submit("once.", key);

        assertEquals(first.jsonPath().getString("id"), again.jsonPath().getString("id"));
        assertEquals("true", again.header(TaskResource.REPLAYED));
        assertEquals("accepted", again.jsonPath().getString("status.state"));
        assertEquals(1, amqp.messageCount(topology.taskQueue()), "one task in the queue");
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() {
        String key = UUID.randomUUID().toString();
        submit("first.", key);

        assertProblem(request().contentType("text/plain").header(TaskResource.IDEMPOTENCY_KEY, key).body("other.")
                .post("/tasks").then(), 422);
        assertEquals(1, amqp.messageCount(topology.taskQueue()));
    }

    @Test
    void anEmptyOrOverlongKeyIs400() {
        for (String key : List.of("", "\"\"", "k".repeat(256))) {
            assertProblem(request().contentType("text/plain").header(TaskResource.IDEMPOTENCY_KEY, key).body("x.")
                    .post("/tasks").then(), 400);
        }
        assertEquals(0, amqp.messageCount(topology.taskQueue()));
    }

    @Test
    void fiftyConcurrentRequestsWithOneKeyMakeOneTask() {
        String key = UUID.randomUUID().toString();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<Response>> answers = IntStream.range(0, 50)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> submit("concurrent.", key), clients))
                    .toList();
            Set<String> ids = answers.stream().map(CompletableFuture::join)
                    .map(answer -> answer.jsonPath().getString("id")).collect(Collectors.toSet());

            assertEquals(1, ids.size(), ids::toString);
            await().atMost(WAIT).until(() -> amqp.messageCount(topology.taskQueue()) >= 1);
            assertEquals(1, amqp.messageCount(topology.taskQueue()), "one task in the queue");
        } finally {
            clients.shutdownNow();
        }
    }

    private static Response submit(String body, String key) {
        var spec = request().contentType("text/plain").body(body.getBytes(StandardCharsets.UTF_8));
        if (key != null) {
            spec = spec.header(TaskResource.IDEMPOTENCY_KEY, key);
        }
        Response response = spec.post("/tasks");
        assertEquals(202, response.statusCode(), response.asString());
        assertNotNull(response.jsonPath().getString("id"));
        return response;
    }

    /** An event as a worker (or the producer, for "accepted") publishes it (docs/messaging-contract.md). */
    private void publishEvent(String taskId, String state, int attempt, String worker, String reason) {
        String body = "{\"taskId\":\"" + taskId + "\",\"state\":\"" + state + "\",\"attempt\":" + attempt
                + (worker == null ? "" : ",\"worker\":\"" + worker + "\"") + ",\"timestamp\":\"" + Instant.now() + "\""
                + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + "}";
        amqp.publish(topology.topicExchange(), "task." + state, new AMQP.BasicProperties.Builder()
                .contentType("application/json").deliveryMode(2).build(), body.getBytes(StandardCharsets.UTF_8));
    }
}
