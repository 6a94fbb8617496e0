package dev.rabbitworks.producer.rest;

import static dev.rabbitworks.producer.ProducerTests.request;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.GetResponse;

import dev.rabbitworks.producer.ProducerTests;
import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.testing.AmqpTestClient;
import io.quarkus.test.junit.QuarkusTest;

/** Fanout, direct and topic publishing reach exactly the queues bound for them; routed says whether any did. */
@QuarkusTest
class PubSubTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Inject
    TopologyConfig topology;

    private AmqpTestClient amqp;

    @BeforeEach
    void connect() {
        ProducerTests.awaitReady();
        amqp = AmqpTestClient.connect();
    }

    @AfterEach
    void close() {
        amqp.close();
    }

    @Test
    void broadcastReachesEveryBoundQueue() {
        String first = amqp.declareBoundQueue(topology.fanoutExchange(), "");
        String second = amqp.declareBoundQueue(topology.fanoutExchange(), "");

        String id = request().contentType("text/plain").body("hello all").post("/broadcast")
                .then().statusCode(202).body("routed", equalTo(true)).extract().path("id");

        for (String queue : new String[] { first, second }) {
            GetResponse message = amqp.awaitMessage(queue, WAIT);
            assertEquals("hello all", text(message));
            assertEquals(id, message.getProps().getMessageId());
            assertEquals(2, message.getProps().getDeliveryMode());
            assertEquals("text/plain", message.getProps().getContentType());
        }
    }

    @Test
    void directMessageReachesOnlyTheQueueBoundToItsKey() {
        String severity = "info-" + UUID.randomUUID();
        String queue = amqp.declareBoundQueue(topology.directExchange(), severity);

        request().contentType("text/plain").body("not for you").post("/logs/warning-" + UUID.randomUUID())
                .then().statusCode(202).body("routed", equalTo(false));
        request().contentType("text/plain").body("for you").post("/logs/" + severity)
                .then().statusCode(202).body("routed", equalTo(true)).body("id", notNullValue());

        // Published in this order on confirmed channels: had the other key arrived, it would come first.
        assertEquals("for you", text(amqp.awaitMessage(queue, WAIT)));
        assertNull(amqp.get(queue), "only the bound key may arrive");
    }

    @Test
    void messageNobodyIsBoundForIsAcceptedAsNotRouted() {
        request().contentType("text/plain").body("anyone?").post("/logs/nobody-" + UUID.randomUUID())
                .then().statusCode(202).body("routed", equalTo(false)).body("id", notNullValue());
    }

    @Test
    void topicMessagesFollowStarAndHashBindings() {
        String prefix = "t" + UUID.randomUUID().toString().replace("-", "");
        String critical = amqp.declareBoundQueue(topology.topicExchange(), "*.critical." + prefix);
        String kernel = amqp.declareBoundQueue(topology.topicExchange(), prefix + ".kern.#");

        request().contentType("text/plain").body("disk full").post("/events/" + prefix + ".kern.disk.full")
                .then().statusCode(202).body("routed", equalTo(true));
        request().contentType("text/plain").body("app down").post("/events/app.critical." + prefix)
                .then().statusCode(202).body("routed", equalTo(true));
        request().contentType("text/plain").body("nobody").post("/events/app.kern.critical.x." + prefix)
                .then().statusCode(202).body("routed", equalTo(false));

        assertEquals("disk full", text(amqp.awaitMessage(kernel, WAIT)));
        assertEquals("app down", text(amqp.awaitMessage(critical, WAIT)));
        assertNull(amqp.get(kernel), "'#' matched one message only");
        assertNull(amqp.get(critical), "'*' matched one message only");
    }

    private static String text(GetResponse message) {
        return new String(message.getBody(), StandardCharsets.UTF_8);
    }
}
