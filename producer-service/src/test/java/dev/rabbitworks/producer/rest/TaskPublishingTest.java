package dev.rabbitworks.producer.rest;

import static dev.rabbitworks.producer.ProducerTests.assertProblem;
import static dev.rabbitworks.producer.ProducerTests.request;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.rabbitmq.client.GetResponse;

import dev.rabbitworks.producer.ProducerTests;
import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.testing.AmqpTestClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * A 202 from POST /tasks means the task is in the durable work queue, as sent; a 202 from POST /tasks/batch means
 * every task of the batch is, in order, each with its own message id; a bad batch publishes none of its tasks.
 */
@QuarkusTest
class TaskPublishingTest {

    @Inject
    TopologyConfig topology;

    private AmqpTestClient amqp;

    @BeforeEach
    void connect() {
        ProducerTests.awaitReady();
        amqp = AmqpTestClient.connect();
        amqp.purge(topology.taskQueue()); // the test vhost's work queue has no worker: start from empty
    }

    @AfterEach
    void close() {
        amqp.close();
    }

    @Test
    void acceptedTextTaskIsInTheWorkQueue() {
        String id = ProducerTests.request().contentType("text/plain").body("compile...")
                .post("/tasks")
                .then().statusCode(202).contentType("application/json")
                .extract().path("id");

        GetResponse message = amqp.get(topology.taskQueue());
        assertNotNull(message, "the confirmed task must already be in the queue");
        assertEquals("compile...", new String(message.getBody(), StandardCharsets.UTF_8));
        assertEquals(2, message.getProps().getDeliveryMode());
        assertEquals(id, message.getProps().getMessageId());
        assertEquals("text/plain", message.getProps().getContentType());
    }

    @Test
    void acceptedJsonTaskKeepsItsContentType() {
        String json = "{\"job\": \"resize\", \"sizes\": [1, 2]}";
        String id = ProducerTests.request().contentType("application/json; charset=UTF-8").body(json)
                .post("/tasks")
                .then().statusCode(202)
                .extract().path("id");

        GetResponse message = amqp.awaitMessage(topology.taskQueue(), Duration.ofSeconds(5));
        assertEquals(json, new String(message.getBody(), StandardCharsets.UTF_8));
        assertEquals(id, message.getProps().getMessageId());
        assertEquals("application/json", message.getProps().getContentType());
        assertEquals(2, message.getProps().getDeliveryMode());
    }

    @Test
    void everyTaskOfAnAcceptedBatchIsInTheWorkQueueInOrder() {
        List<String> ids = request().contentType("application/json")
                .body("[\"first.\", {\"job\": \"resize\"}, \"third..\"]")
                .post("/tasks/batch")
                .then().statusCode(202).contentType("application/json")
                .extract().jsonPath().getList("ids", String.class);

        assertEquals(3, ids.size(), ids::toString);
        assertEquals(3, ids.stream().distinct().count(), "one message id per task: " + ids);
        assertTask(ids.get(0), "first.", "text/plain");
        assertTask(ids.get(1), "{\"job\": \"resize\"}", "application/json");
        assertTask(ids.get(2), "third..", "text/plain");
        assertEquals(0, amqp.messageCount(topology.taskQueue()));
    }

    /** A 202 promises the tasks as sent: each JSON element is published as its own bytes, never re-serialized. */
    @Test
    void aBatchIsPublishedExactlyAsSent() {
        List<String> elements = List.of("1e400", "-1e400", "1.00000000000000000001", "{\"a\":1,\"a\":2}", "-0");
        List<String> ids = request().contentType("application/json").body("[" + String.join(", ", elements) + "]")
                .post("/tasks/batch")
                .then().statusCode(202).extract().jsonPath().getList("ids", String.class);

        for (int i = 0; i < elements.size(); i++) {
            assertTask(ids.get(i), elements.get(i), "application/json");
        }
    }

    @Test
    void aBatchWithATextTaskThatIsNotTextIs400NamingIt() {
        assertProblem(request().contentType("application/json").body("[\"ok\", 1E2, \"\\ud800\"]")
                .post("/tasks/batch").then(), 400).body("detail", startsWith("task 2 "));
        assertEquals(0, amqp.messageCount(topology.taskQueue()), "nothing of a refused batch is queued");
    }

    /** RFC 8259 forbids a byte order mark before JSON text; refused rather than published with it. */
    @ParameterizedTest
    @ValueSource(strings = { "/tasks", "/tasks/batch" })
    void jsonWithAByteOrderMarkIs400(String path) {
        byte[] withBom = "\ufeff[\"a.\"]".getBytes(StandardCharsets.UTF_8);
        assertProblem(request().contentType("application/json").body(withBom).post(path).then(), 400);
        assertEquals(0, amqp.messageCount(topology.taskQueue()));
    }

    @ParameterizedTest
    @ValueSource(strings = { "[]", "{\"not\": \"an array\"}", "[\"ok\", \"\"]", "[\"ok\",", "[\"ok\"] trailing",
            "[\"1\", \"2\", \"3\", \"4\", \"5\", \"6\"]" }) // the test profile allows 5 tasks a batch
    void aBadBatchIs400AndPublishesNoneOfItsTasks(String body) {
        assertProblem(request().contentType("application/json").body(body).post("/tasks/batch").then(), 400);
        assertEquals(0, amqp.messageCount(topology.taskQueue()), "nothing of a refused batch is queued");
    }

    @Test
    void aBatchOverTheBodyLimitIs413() {
        String big = "[\"" + "x".repeat(1100) + "\"]"; // over the test profile's 1K
        assertProblem(request().contentType("application/json").body(big).post("/tasks/batch").then(), 413);
        assertEquals(0, amqp.messageCount(topology.taskQueue()));
    }

    private void assertTask(String id, String body, String contentType) {
        GetResponse message = amqp.get(topology.taskQueue());
        assertNotNull(message, "the confirmed task " + id + " must already be in the queue");
        assertEquals(id, message.getProps().getMessageId());
        assertEquals(body, new String(message.getBody(), StandardCharsets.UTF_8));
        assertEquals(contentType, message.getProps().getContentType());
        assertEquals(2, message.getProps().getDeliveryMode(), "persistent");
    }
}
