package dev.rabbitworks.producer.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.GetResponse;

import dev.rabbitworks.producer.ProducerTests;
import dev.rabbitworks.producer.config.TopologyConfig;
import dev.rabbitworks.testing.AmqpTestClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** A 202 from POST /tasks means the task is in the durable work queue, as sent. */
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
}
