package dev.rabbitworks.system.support;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The task lifecycle events on topic_logs (task.accepted from the producer; task.started, failed, retrying, completed,
 * dead from the workers), received on a durable queue the test owns, declared and bound before anything is sent,
 * and timed on arrival. The consuming connection recovers by itself (amqp-client automatic recovery), so the events
 * published around a broker restart are received too. A task counts as done by its final event
 * ({@code task.completed}), never by the others: a task started twice is not done twice.
 */
public final class TaskEvents implements AutoCloseable {

    public static final String QUEUE = "system-tests.task-events";
    private static final String TOPIC_EXCHANGE = "topic_logs";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The worker's log line per task attempt (TaskSettlement), when the worker settled the attempt itself: acked, or
     * sent on to a retry queue or the dead letters. A line that says requeue or left to the broker is not an end: the
     * task runs again.
     */
    private static final Pattern LOG_LINE = Pattern.compile(
            "task id=(\\S+) attempt=(\\d+) outcome=(completed|failed) durationMs=\\d+ "
                    + "settled=(?:ack|retry-\\d+ in \\d+ms|dead-letter)(?: |$)");

    /**
     * One state change of a task: from an event, or (completed and failed only) from a worker's own log.
     *
     * @param state the event's state ({@code accepted}, {@code started}, ... ; the outcome for a log line)
     * @param outcome {@code completed} or {@code failed} for the end of an attempt, else empty
     * @param reason why it is retried or dead ({@code retrying}, {@code dead}), else null
     * @param timestamp when the state was reached, by the publisher's clock (null for a log line)
     */
    public record Attempt(String taskId, String worker, int attempt, String state, String outcome, String error,
            String reason, Instant timestamp, long seenAtNanos, boolean fromEvent) {
        /** The same attempt, however it was seen. */
        String key() {
            return taskId + "|" + worker + "|" + attempt + "|" + outcome;
        }

        public boolean isCompleted() {
            return "completed".equals(state);
        }

        /** The end of an attempt: completed or failed. */
        public boolean isOutcome() {
            return "completed".equals(state) || "failed".equals(state);
        }

        /** "retrying 2": what a sequence of events reads as. */
        public String stateAndAttempt() {
            return state + " " + attempt;
        }
    }

    private final List<Attempt> events = new CopyOnWriteArrayList<>();
    private final Connection connection;

    private TaskEvents(SystemUnderTest system) {
        TestBroker.Endpoint endpoint = system.broker().endpoint();
        List<TestBroker.Endpoint> nodes = system.broker().amqpNodes();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(endpoint.host());
        factory.setPort(endpoint.amqpPort());
        factory.setUsername(endpoint.username());
        factory.setPassword(endpoint.password());
        factory.setVirtualHost(system.vhost());
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(500);
        try {
            // On a cluster: any of its nodes (the recovery tries them all), and a quorum queue, so that neither the
            // connection nor the events queued for the test depend on one node.
            connection = factory.newConnection(nodes.stream()
                    .map(node -> new Address(node.host(), node.amqpPort())).toList(), "system-tests-events");
            Channel channel = connection.createChannel();
            channel.exchangeDeclare(TOPIC_EXCHANGE, BuiltinExchangeType.TOPIC, true, false, null);
            channel.queueDeclare(QUEUE, true, false, false,
                    nodes.size() > 1 ? Map.of("x-queue-type", "quorum") : null);
            channel.queueBind(QUEUE, TOPIC_EXCHANGE, "task.*");
            channel.basicQos(500);
            channel.basicConsume(QUEUE, false, (tag, delivery) -> {
                long now = System.nanoTime();
                try {
                    // A worker's event is one object; the producer's task.accepted an array of them.
                    JsonNode root = JSON.readTree(delivery.getBody());
                    for (JsonNode body : root.isArray() ? root : List.of(root)) {
                        events.add(new Attempt(body.path("taskId").isNull() ? null : body.path("taskId").asText(),
                                body.path("worker").asText(), body.path("attempt").asInt(), state(delivery, body),
                                body.path("outcome").asText(), body.path("error").asText(null),
                                body.path("reason").asText(null), timestamp(body), now, true));
                    }
                } catch (IOException notJson) {
                    // not a task event: ignore it
                }
                channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
            }, tag -> {
            });
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("cannot listen to the task events", e);
        }
    }

    /** Declares (as the contract says) the topic exchange and a durable queue bound to {@code task.*}, and consumes. */
    public static TaskEvents listen(SystemUnderTest system) {
        return new TaskEvents(system);
    }

    /** The events read so far. */
    public List<Attempt> events() {
        return List.copyOf(events);
    }

    /** Events of one task, in arrival order. */
    public List<Attempt> eventsOf(String taskId) {
        return events().stream().filter(e -> taskId.equals(e.taskId())).toList();
    }

    /** The workers' events of one task (not the producer's task.accepted), in arrival order. */
    public List<Attempt> workerEventsOf(String taskId) {
        return eventsOf(taskId).stream().filter(e -> !"accepted".equals(e.state())).toList();
    }

    /** The ends of the attempts at one task (task.completed, task.failed), in arrival order. */
    public List<Attempt> outcomesOf(String taskId) {
        return eventsOf(taskId).stream().filter(Attempt::isOutcome).toList();
    }

    /**
     * Every completed attempt, once each: from the final events (task.completed; the other states never count),
     * and from the workers' own log lines (in the best-effort event delivery an event can be lost; a line with
     * settled=ack is still a task done). One attempt seen several times (an event sent again, and the log) counts
     * once.
     */
    public List<Attempt> completions(List<ServiceProcess> workers) {
        Map<String, Attempt> byKey = new HashMap<>();
        for (Attempt event : events()) {
            if (event.isCompleted()) {
                byKey.putIfAbsent(event.key(), event);
            }
        }
        for (ServiceProcess worker : workers) {
            for (Attempt logged : fromLog(worker.name(), worker.log())) {
                if (logged.isCompleted()) {
                    byKey.putIfAbsent(logged.key(), logged);
                }
            }
        }
        return new ArrayList<>(byKey.values());
    }

    /** The attempts a worker's log says it settled itself (acked, or confirmed into a retry queue or the dead letters). */
    public static List<Attempt> fromLog(String worker, Path log) {
        List<Attempt> attempts = new ArrayList<>();
        try {
            for (String line : java.nio.file.Files.readAllLines(log)) {
                Matcher matcher = LOG_LINE.matcher(line);
                if (matcher.find()) {
                    attempts.add(new Attempt(matcher.group(1), worker, Integer.parseInt(matcher.group(2)),
                            matcher.group(3), matcher.group(3), null, null, null, 0, false));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return attempts;
    }

    /** The state: the event's own, else its routing key's ({@code task.<state>}). */
    private static String state(com.rabbitmq.client.Delivery delivery, JsonNode body) {
        String state = body.path("state").asText("");
        if (!state.isEmpty()) {
            return state;
        }
        String key = delivery.getEnvelope().getRoutingKey();
        return key.startsWith("task.") ? key.substring("task.".length()) : key;
    }

    private static Instant timestamp(JsonNode body) {
        try {
            return Instant.parse(body.path("timestamp").asText(""));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            connection.abort(2_000);
        } catch (RuntimeException ignored) {
            // already gone
        }
    }
}
