package dev.rabbitworks.worker.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;

import dev.rabbitworks.broker.MessagingContract;
import dev.rabbitworks.testing.BrokerSettings;
import dev.rabbitworks.testing.ContractDeclarations.Binding;
import dev.rabbitworks.testing.ContractDeclarations.Declaration;
import dev.rabbitworks.testing.ContractDeclarations.Exchange;
import dev.rabbitworks.testing.ContractDeclarations.Queue;
import dev.rabbitworks.worker.work.RetryPolicy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import dev.rabbitworks.testing.ContractDeclarations;

/**
 * What the worker declares, on names nothing else declares ({@link FreshTopology}), compared with what broker-client's
 * MessagingContract says: every queue and exchange with its arguments, every binding. The expected arguments are the
 * contract's own, so a change there is checked here without a second edit.
 */
@QuarkusTest
@TestProfile(TopologyTest.FreshNames.class)
class TopologyTest extends WorkerBrokerTest {

    public static class FreshNames implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FreshTopology.class));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    RetryPolicy retryPolicy;

    @BeforeEach
    void onFreshNames() {
        FreshTopology.deleteAfterwardsOn(BrokerSettings.fromConfig());
        assertEquals(FreshTopology.TASK_QUEUE, topology.taskQueue(), "the worker must run on names of its own here");
    }

    /** Everything the worker's three channels declare: the work queue and dead letters, the retries, the events. */
    private List<Declaration> contract() {
        return ContractDeclarations.of(on -> {
            MessagingContract.declareWorkQueue(on, topology);
            MessagingContract.declareRetryQueues(on, topology, retryPolicy.retryLevels());
            MessagingContract.declareTopicExchange(on, topology);
        });
    }

    @Test
    void declaresEveryQueueWithTheContractsArguments() {
        List<Queue> queues = ContractDeclarations.only(Queue.class, contract());
        assertTrue(queues.size() >= 2 + retryPolicy.retryLevels(), queues::toString);
        for (Queue expected : queues) {
            JsonNode queue = await().atMost(WAIT).until(() -> broker.management.queue(expected.name()),
                    found -> found != null);
            assertEquals(expected.type(), queue.path("type").asText(), expected.name());
            assertEquals(expected.durable(), queue.path("durable").asBoolean(), expected.name());
            assertEquals(expected.exclusive(), queue.path("exclusive").asBoolean(), expected.name());
            assertEquals(expected.autoDelete(), queue.path("auto_delete").asBoolean(), expected.name());
            assertEquals(asJson(expected.arguments()), queue.path("arguments"), expected.name());
        }
    }

    @Test
    void declaresEveryExchangeAsTheContractSays() {
        List<Exchange> exchanges = ContractDeclarations.only(Exchange.class, contract());
        assertEquals(Set.of(topology.deadLetterExchange(), topology.topicExchange()),
                exchanges.stream().map(Exchange::name).collect(Collectors.toSet()));
        for (Exchange expected : exchanges) {
            JsonNode exchange = await().atMost(WAIT).until(
                    () -> broker.managementGet("/exchanges/{vhost}/" + expected.name()), found -> found != null);
            assertEquals(expected.type(), exchange.path("type").asText(), expected.name());
            assertEquals(expected.durable(), exchange.path("durable").asBoolean(), expected.name());
            assertEquals(expected.autoDelete(), exchange.path("auto_delete").asBoolean(), expected.name());
            assertFalse(exchange.path("internal").asBoolean(), expected.name());
            assertEquals(asJson(expected.arguments()), exchange.path("arguments"), expected.name());
        }
    }

    @Test
    void bindsEachQueueAsTheContractSaysAndNoMore() {
        List<Declaration> contract = contract();
        for (Queue queue : ContractDeclarations.only(Queue.class, contract)) {
            Set<String> expected = ContractDeclarations.only(Binding.class, contract).stream()
                    .filter(binding -> binding.queue().equals(queue.name()))
                    .map(binding -> binding.exchange() + " " + binding.routingKey()).collect(Collectors.toSet());
            JsonNode bindings = await().atMost(WAIT).until(
                    () -> broker.managementGet("/queues/{vhost}/" + queue.name() + "/bindings"), found -> found != null);
            Set<String> actual = new HashSet<>();
            for (JsonNode binding : bindings) {
                if (!binding.path("source").asText().isEmpty()) { // every queue is bound to the default exchange
                    actual.add(binding.path("source").asText() + " " + binding.path("routing_key").asText());
                }
            }
            assertEquals(expected, actual, queue.name());
        }
    }

    @Test
    void acceptsTheSameDeclarationsFromAnotherService() throws Exception {
        // The producer declares the work queue and the dead letters through the same contract: any difference
        // (types of the arguments included) would close its channel (PRECONDITION_FAILED).
        await().atMost(WAIT).until(() -> ContractDeclarations.only(Queue.class, contract()).stream()
                .allMatch(queue -> broker.management.queue(queue.name()) != null));
        try (Channel channel = broker.amqp.connection().createChannel()) {
            assertDoesNotThrow(() -> MessagingContract.declareWorkQueue(channel, topology));
            assertDoesNotThrow(() -> MessagingContract.declareRetryQueues(channel, topology,
                    retryPolicy.retryLevels()));
            assertDoesNotThrow(() -> MessagingContract.declareTopicExchange(channel, topology));
        }
    }

    @Test
    void namesItsConnectionAfterTheService() {
        TaskQueueFixture.Events events = broker.listenToOutcomes();
        events.await(TaskQueueFixture.forTask(broker.publishTask("named.")), 1, WAIT);

        // One connection for the consumer, the events and the retries, each on its own channel.
        await().atMost(WAIT).untilAsserted(() -> assertEquals(1, broker.workerConnections().size()));
    }

    /** As the management API writes it (numbers by value: the broker does not say int or long). */
    private static JsonNode asJson(Map<String, Object> arguments) {
        try {
            return JSON.readTree(JSON.writeValueAsString(arguments));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
