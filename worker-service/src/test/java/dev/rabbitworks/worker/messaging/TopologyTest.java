package dev.rabbitworks.worker.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;

import dev.rabbitworks.worker.config.WorkerConfig;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class TopologyTest extends WorkerBrokerTest {

    @Inject
    WorkerConfig config;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void declaresTheTaskQueueWithTheContractsArguments() {
        JsonNode queue = broker.management.queue(topology.taskQueue());

        assertTrue(queue.path("durable").asBoolean());
        assertFalse(queue.path("auto_delete").asBoolean());
        assertFalse(queue.path("exclusive").asBoolean());
        assertEquals("quorum", queue.path("type").asText());
        assertEquals(JSON.valueToTree(Map.of(
                "x-queue-type", "quorum",
                "x-delivery-limit", (int) topology.taskDeliveryLimit(),
                "x-dead-letter-exchange", topology.deadLetterExchange(),
                "x-dead-letter-routing-key", topology.deadLetterQueue())), queue.path("arguments"));
    }

    @Test
    void acceptsTheProducersDeclarations() throws Exception {
        // What the producer declares with amqp-client; any difference closes the channel (PRECONDITION_FAILED).
        Map<String, Object> arguments = Map.of("x-queue-type", "quorum",
                "x-delivery-limit", topology.taskDeliveryLimit(),
                "x-dead-letter-exchange", topology.deadLetterExchange(),
                "x-dead-letter-routing-key", topology.deadLetterQueue());
        try (Channel channel = broker.amqp.connection().createChannel()) {
            assertDoesNotThrow(() -> channel.queueDeclare(topology.taskQueue(), true, false, false, arguments));
            assertDoesNotThrow(() -> channel.exchangeDeclare(topology.deadLetterExchange(), "direct", true, false,
                    Map.of()));
            assertDoesNotThrow(() -> channel.queueDeclare(topology.deadLetterQueue(), true, false, false, Map.of()));
            assertDoesNotThrow(() -> channel.exchangeDeclare(topology.topicExchange(), "topic", true, false,
                    Map.of()));
        }
    }

    @Test
    void declaresTheDeadLetterExchangeAndQueue() {
        JsonNode exchange = broker.managementGet("/exchanges/{vhost}/" + topology.deadLetterExchange());
        assertEquals("direct", exchange.path("type").asText());
        assertTrue(exchange.path("durable").asBoolean());
        assertFalse(exchange.path("auto_delete").asBoolean());
        assertEquals(0, exchange.path("arguments").size());

        JsonNode deadLetters = broker.management.queue(topology.deadLetterQueue());
        assertEquals("classic", deadLetters.path("type").asText());
        assertTrue(deadLetters.path("durable").asBoolean());
        assertFalse(deadLetters.path("auto_delete").asBoolean());
        assertEquals(0, deadLetters.path("arguments").size());

        JsonNode bindings = broker.managementGet("/bindings/{vhost}/e/" + topology.deadLetterExchange() + "/q/"
                + topology.deadLetterQueue());
        assertEquals(1, bindings.size(), bindings::toString);
        assertEquals(topology.deadLetterQueue(), bindings.get(0).path("routing_key").asText());
    }

    @Test
    void declaresOneRetryQueuePerRetryThatExpiresBackIntoTheTaskQueue() {
        await().atMost(WAIT).untilAsserted(() -> {
            for (int level = 1; level <= config.retryDelays().size(); level++) {
                JsonNode queue = broker.management.queue(topology.taskQueue() + ".retry." + level);
                assertTrue(queue != null, "retry queue " + level);
                assertEquals("classic", queue.path("type").asText());
                assertTrue(queue.path("durable").asBoolean());
                assertFalse(queue.path("auto_delete").asBoolean());
                assertEquals(JSON.valueToTree(Map.of("x-dead-letter-exchange", "",
                        "x-dead-letter-routing-key", topology.taskQueue())), queue.path("arguments"));
            }
        });
    }

    @Test
    void reachesTheTaskQueueThroughTheDefaultExchangeOnly() {
        assertNull(broker.managementGet("/exchanges/{vhost}/" + TaskConsumer.CHANNEL),
                "no exchange named after the channel");
        JsonNode bindings = broker.managementGet("/queues/{vhost}/" + topology.taskQueue() + "/bindings");
        assertEquals(1, bindings.size(), bindings::toString);
        assertEquals("", bindings.get(0).path("source").asText());
    }

    @Test
    void declaresTheEventExchangeAsTheContractSays() {
        JsonNode exchange = broker.managementGet("/exchanges/{vhost}/" + topology.topicExchange());
        assertEquals("topic", exchange.path("type").asText());
        assertTrue(exchange.path("durable").asBoolean());
        assertFalse(exchange.path("auto_delete").asBoolean());
        assertEquals(0, exchange.path("arguments").size());
    }

    @Test
    void namesItsConnectionsAfterTheService() {
        TaskQueueFixture.Events events = broker.listenToOutcomes();
        events.await(TaskQueueFixture.forTask(broker.publishTask("named.")), 1, WAIT);

        await().atMost(WAIT).untilAsserted(() -> {
            // One connection for the consumer, the events and the retries, each on its own channel.
            assertEquals(1, broker.workerConnections().size());
        });
    }
}
