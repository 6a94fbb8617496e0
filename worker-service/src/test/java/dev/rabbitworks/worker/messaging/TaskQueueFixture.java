package dev.rabbitworks.worker.messaging;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;

import dev.rabbitworks.testing.AmqpTestClient;
import dev.rabbitworks.testing.BrokerSettings;
import dev.rabbitworks.testing.ManagementApi;
import dev.rabbitworks.broker.MessagingContract;
import dev.rabbitworks.broker.TopologyConfig;

/**
 * What the broker tests do to the worker from outside, over real AMQP: publish tasks to the default exchange as
 * the producer or a pika client would, listen to the task events on the topic exchange, read the dead letters,
 * and ask the management API. Close it to delete its queues.
 */
final class TaskQueueFixture implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final AmqpTestClient amqp = AmqpTestClient.connect();
    final ManagementApi management = ManagementApi.fromConfig();
    final TopologyConfig topology;
    private final String encodedVhost = encode(BrokerSettings.fromConfig().virtualHost());

    TaskQueueFixture(TopologyConfig topology) {
        this.topology = topology;
    }

    /** Publishes a task as the producer does: persistent, text/plain, a UUID message id (returned). */
    String publishTask(String body) {
        String id = UUID.randomUUID().toString();
        publish(new AMQP.BasicProperties.Builder().deliveryMode(2).contentType("text/plain").messageId(id).build(),
                body.getBytes(StandardCharsets.UTF_8));
        return id;
    }

    /** Publishes raw bytes with a message id (returned) and no content type. */
    String publishBytes(byte[] body) {
        String id = UUID.randomUUID().toString();
        publish(new AMQP.BasicProperties.Builder().deliveryMode(2).messageId(id).build(), body);
        return id;
    }

    /** Publishes like the tutorial's pika new_task.py: no content type, no message id. */
    void publishLikePika(String body) {
        publish(new AMQP.BasicProperties.Builder().deliveryMode(2).build(), body.getBytes(StandardCharsets.UTF_8));
    }

    private void publish(AMQP.BasicProperties properties, byte[] body) {
        amqp.publish("", topology.taskQueue(), properties, body);
    }

    /** A fresh queue receiving the end of every attempt: task.completed and task.failed. */
    Events listenToOutcomes() {
        return listenTo("task.completed", "task.failed");
    }

    /** A fresh queue receiving every task lifecycle event (routing key task.*). */
    Events listenToLifecycle() {
        return listenTo("task.*");
    }

    private Events listenTo(String... routingKeys) {
        // Never declared here: the exchange must be the worker's own declaration (TopologyTest checks it).
        await().atMost(Duration.ofSeconds(20))
                .until(() -> managementGet("/exchanges/{vhost}/" + encode(topology.topicExchange())) != null);
        try {
            String queue = amqp.declareTemporaryQueue();
            for (String key : routingKeys) {
                amqp.channel().queueBind(queue, topology.topicExchange(), key);
            }
            return new Events(queue);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next dead letter for this message id (others are dropped), waiting at most {@code atMost}. */
    GetResponse awaitDeadLetter(String messageId, Duration atMost) {
        List<GetResponse> found = new ArrayList<>();
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
            GetResponse response = amqp.get(topology.deadLetterQueue());
            if (response != null && messageId.equals(response.getProps().getMessageId())) {
                found.add(response);
            }
            return !found.isEmpty();
        });
        return found.get(0);
    }

    long readyTasks() {
        return amqp.messageCount(topology.taskQueue());
    }

    long deadLetters() {
        return amqp.messageCount(topology.deadLetterQueue());
    }

    void purgeTasksAndDeadLetters() {
        amqp.purge(topology.taskQueue());
        amqp.purge(topology.deadLetterQueue());
        // Tasks waiting for a retry would come back into a later test.
        for (int level = 1; management.queue(MessagingContract.retryQueue(topology, level)) != null; level++) {
            amqp.purge(MessagingContract.retryQueue(topology, level));
        }
    }

    /** The worker's connections in this virtual host ("worker-service <instance>"): one, for all its channels. */
    List<String> workerConnections() {
        List<String> names = new ArrayList<>();
        JsonNode connections = management.get("/vhosts/" + encodedVhost + "/connections");
        if (connections != null) {
            for (JsonNode connection : connections) {
                String clientName = connection.path("client_properties").path("connection_name").asText("");
                if (clientName.startsWith("worker-service ")) {
                    names.add(connection.path("name").asText());
                }
            }
        }
        return names;
    }

    JsonNode managementGet(String pathAfterVhost) {
        return management.get(pathAfterVhost.replace("{vhost}", encodedVhost));
    }

    @Override
    public void close() {
        amqp.close();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A task event as it arrived: routing key, properties, JSON body. */
    record Event(String routingKey, AMQP.BasicProperties properties, JsonNode body) {
        String taskId() {
            return body.path("taskId").isNull() ? null : body.path("taskId").asText();
        }

        int attempt() {
            return body.path("attempt").asInt();
        }

        String outcome() {
            return body.path("outcome").asText();
        }

        String state() {
            return body.path("state").asText();
        }

        Instant timestamp() {
            return Instant.parse(body.path("timestamp").asText());
        }

        /** "started 1", "completed 2": what a sequence of events reads as. */
        String stateAndAttempt() {
            return state() + " " + attempt();
        }
    }

    /** The events received on one test-owned queue; keeps every event read so none is lost between waits. */
    final class Events {
        private final String queue;
        private final List<Event> received = new CopyOnWriteArrayList<>();

        private Events(String queue) {
            this.queue = queue;
        }

        /** Waits until {@code count} events match, and returns them in arrival order. */
        List<Event> await(Predicate<Event> matching, int count, Duration atMost) {
            org.awaitility.Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> {
                drain();
                return matching(matching).size() >= count;
            });
            return matching(matching);
        }

        /** Everything received so far that matches (reads what has arrived first). */
        List<Event> matching(Predicate<Event> matching) {
            drain();
            return received.stream().filter(matching).toList();
        }

        private void drain() {
            GetResponse response;
            while ((response = amqp.get(queue)) != null) {
                try {
                    received.add(new Event(response.getEnvelope().getRoutingKey(), response.getProps(),
                            JSON.readTree(response.getBody())));
                } catch (IOException e) {
                    throw new IllegalStateException("task event is not JSON", e);
                }
            }
        }
    }

    static Predicate<Event> forTask(String taskId) {
        return event -> taskId.equals(event.taskId());
    }
}
