package dev.rabbitworks.system.support;

import java.io.IOException;
import java.nio.file.Path;
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
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * The worker's task events (task.completed / task.failed on topic_logs), received on a durable queue the test owns,
 * declared and bound before anything is sent, and timed on arrival. The consuming connection recovers by itself
 * (amqp-client automatic recovery), so the events published around a broker restart are received too.
 */
public final class TaskEvents implements AutoCloseable {

    public static final String QUEUE = "system-tests.task-events";
    private static final String TOPIC_EXCHANGE = "topic_logs";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The worker's log line per task attempt (TaskConsumer). */
    private static final Pattern LOG_LINE = Pattern.compile(
            "task id=(\\S+) attempt=(\\d+) outcome=(completed|failed) ");

    /** One attempt at a task: from an event, or from a worker's own log. */
    public record Attempt(String taskId, String worker, int attempt, String outcome, String error, long seenAtNanos,
            boolean fromEvent) {
        /** The same attempt, however it was seen. */
        String key() {
            return taskId + "|" + worker + "|" + attempt + "|" + outcome;
        }
    }

    private final List<Attempt> events = new CopyOnWriteArrayList<>();
    private final Connection connection;

    private TaskEvents(SystemUnderTest system) {
        TestBroker.Endpoint endpoint = system.broker().endpoint();
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
            connection = factory.newConnection("system-tests-events");
            Channel channel = connection.createChannel();
            channel.exchangeDeclare(TOPIC_EXCHANGE, BuiltinExchangeType.TOPIC, true, false, null);
            channel.queueDeclare(QUEUE, true, false, false, null);
            channel.queueBind(QUEUE, TOPIC_EXCHANGE, "task.*");
            channel.basicQos(500);
            channel.basicConsume(QUEUE, false, (tag, delivery) -> {
                long now = System.nanoTime();
                try {
                    JsonNode body = JSON.readTree(delivery.getBody());
                    events.add(new Attempt(body.path("taskId").isNull() ? null : body.path("taskId").asText(),
                            body.path("worker").asText(), body.path("attempt").asInt(), body.path("outcome").asText(),
                            body.path("error").asText(null), now, true));
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

    /**
     * Every completed attempt, once each: from the events, and from the workers' own log lines (an event the broker
     * never confirmed, e.g. when its connection was closed under it, is still a task done).
     */
    public List<Attempt> completions(List<ServiceProcess> workers) {
        Map<String, Attempt> byKey = new HashMap<>();
        for (Attempt event : events()) {
            if ("completed".equals(event.outcome())) {
                byKey.putIfAbsent(event.key(), event);
            }
        }
        for (ServiceProcess worker : workers) {
            for (Attempt logged : fromLog(worker.name(), worker.log())) {
                if ("completed".equals(logged.outcome())) {
                    byKey.putIfAbsent(logged.key(), logged);
                }
            }
        }
        return new ArrayList<>(byKey.values());
    }

    public static List<Attempt> fromLog(String worker, Path log) {
        List<Attempt> attempts = new ArrayList<>();
        try {
            for (String line : java.nio.file.Files.readAllLines(log)) {
                Matcher matcher = LOG_LINE.matcher(line);
                if (matcher.find()) {
                    attempts.add(new Attempt(matcher.group(1), worker, Integer.parseInt(matcher.group(2)),
                            matcher.group(3), null, 0, false));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return attempts;
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
