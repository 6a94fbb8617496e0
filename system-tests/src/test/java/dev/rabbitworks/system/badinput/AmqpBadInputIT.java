package dev.rabbitworks.system.badinput;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;

import dev.rabbitworks.broker.MessagingContract;
import dev.rabbitworks.broker.TopologyNames;
import dev.rabbitworks.system.support.Amqp;
import dev.rabbitworks.system.support.Service;
import dev.rabbitworks.system.support.ServiceProcess;
import dev.rabbitworks.system.support.SystemUnderTest;
import dev.rabbitworks.system.support.TaskEvents;

/**
 * Bad messages from the AMQP side: a raw client publishes to the services' queues and exchanges what no well-behaved
 * client would (random bytes, huge bodies, an RPC request without reply_to, malformed headers). No service crashes,
 * no reply says 500, nothing stays in a queue redelivering: every message ends acked (done, answered or logged) or
 * dead-lettered.
 */
class AmqpBadInputIT {

    private static final int HUGE = 8 * 1024 * 1024;
    private static final Random RANDOM = new Random(20_260_101L);

    private static SystemUnderTest system;
    private static TaskEvents events;
    private static ServiceProcess worker;
    private static ServiceProcess rpc;
    private static ServiceProcess subscriber;
    private static Connection amqp;

    @BeforeAll
    static void startTheSystem() {
        system = SystemUnderTest.forClass(AmqpBadInputIT.class);
        events = TaskEvents.listen(system);
        worker = system.launch(Service.WORKER, "worker");
        rpc = system.launch(Service.RPC, "rpc");
        subscriber = system.launch(Service.LOG_SUBSCRIBER, "log-subscriber");
        SystemUnderTest.awaitReady(worker, rpc, subscriber);
        amqp = system.connect("system-tests-raw-client");
    }

    @AfterAll
    static void stopTheSystem() {
        try {
            if (amqp != null) {
                amqp.abort();
            }
        } finally {
            if (events != null) {
                events.close();
            }
            if (system != null) {
                system.close();
            }
        }
    }

    @Test
    void badTasksAreDoneOrDeadLetteredAndNoneIsLeftRedelivering() throws Exception {
        Map<String, String> expected = new HashMap<>();
        byte[] randomBytes = randomBytes(4096);
        randomBytes[0] = (byte) 0xFF; // never valid UTF-8
        expected.put(publishTask(randomBytes, props().build()), "dead-lettered");
        expected.put(publishTask(lettersWithoutDots(HUGE), props().build()), "completed");
        expected.put(publishTask(text("json declared, not json ."), props().contentType("application/json").build()),
                "completed");
        expected.put(publishTask(text("attempt as text ."), props().headers(Map.of("x-attempt", "many")).build()),
                "completed");
        expected.put(publishTask(text("attempt as a table ."), props().headers(Map.of("x-attempt", Map.of("a", 1),
                "x-delivery-count", "-3")).build()), "completed");
        expected.put(publishTask(text("attempt negative ."), props().headers(Map.of("x-attempt", -7L)).build()),
                "completed");
        expected.put(publishTask(text("attempt huge ."), props().headers(Map.of("x-attempt", Long.MAX_VALUE)).build()),
                "completed");
        expected.put(publishTask(text("odd header values ."), props().headers(oddHeaders()).build()), "completed");

        Map<String, String> outcomes = new ConcurrentHashMap<>();
        try (Channel channel = amqp.createChannel()) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                GetResponse dead;
                while ((dead = channel.basicGet("task_queue.dead", true)) != null) {
                    outcomes.put(dead.getProps().getMessageId(), "dead-lettered");
                }
                for (TaskEvents.Attempt event : events.events()) {
                    if ("completed".equals(event.outcome()) && event.taskId() != null) {
                        outcomes.putIfAbsent(event.taskId(), "completed");
                    }
                }
                return outcomes.keySet().containsAll(expected.keySet());
            });
        }
        assertEquals(expected, filter(outcomes, expected));
        TopologyNames names = TopologyNames.DEFAULTS;
        awaitNothingLeftIn(names.taskQueue(), MessagingContract.retryQueue(names, 1),
                MessagingContract.retryQueue(names, 2), MessagingContract.retryQueue(names, 3));
        assertTrue(worker.isLive() && worker.isReady(), "the worker is fine");
        assertEquals(0.0, worker.metric("worker_tasks_in_progress"));
    }

    @Test
    void badRpcRequestsAreAnsweredWithAnErrorOrRejectedAndNoneIsLeftRedelivering() throws Exception {
        double missingReplyToBefore = rpc.metric("rpc_requests_unanswered_total", "reason=\"missing-reply-to\"");
        Map<String, Integer> replies = new ConcurrentHashMap<>();
        try (Channel channel = amqp.createChannel()) {
            String replyQueue = channel.queueDeclare().getQueue();
            channel.basicConsume(replyQueue, true, (tag, delivery) -> replies.put(
                    delivery.getProperties().getCorrelationId(), status(delivery.getProperties())), tag -> {
            });
            List<String> correlations = new ArrayList<>();
            correlations.add(request(channel, replyQueue, randomBytes(2048), Map.of()));
            correlations.add(request(channel, replyQueue, lettersWithoutDots(HUGE), Map.of()));
            correlations.add(request(channel, replyQueue, text("10"), Map.of("procedure", 42)));
            correlations.add(request(channel, replyQueue, text("10"), Map.of("procedure", Map.of("nested", "x"))));
            correlations.add(request(channel, replyQueue, text("10"), Map.of("procedure", new byte[] { (byte) 0xFF })));
            correlations.add(request(channel, replyQueue, text("10"), Map.of("procedure", "x".repeat(10_000))));
            correlations.add(requestWith(channel, props().replyTo(replyQueue).contentEncoding("gzip"), text("10")));
            // No reply_to: nobody to answer; rejected and logged.
            channel.basicPublish("", "rpc_queue", props().correlationId(UUID.randomUUID().toString()).build(),
                    text("10"));

            await().atMost(Duration.ofSeconds(30)).until(() -> replies.keySet().containsAll(correlations)
                    && rpc.metric("rpc_requests_unanswered_total", "reason=\"missing-reply-to\"")
                            == missingReplyToBefore + 1);
            for (String correlation : correlations) {
                int status = replies.get(correlation);
                assertTrue(status == 400 || status == 404, "an error reply, not " + status);
            }
        }
        awaitNothingLeftIn("rpc_queue");
        assertTrue(rpc.isLive() && rpc.isReady(), "the rpc-service is fine");
    }

    @Test
    void badLogMessagesAreShownAndAckedAndTheSubscriberCarriesOn() throws Exception {
        double receivedBefore = subscriber.metric("subscriber_messages_received_total");
        try (Channel channel = amqp.createChannel()) {
            channel.basicPublish("logs", "", props().build(), randomBytes(4096));
            channel.basicPublish("topic_logs", "kern.critical", props().build(), lettersWithoutDots(HUGE));
            channel.basicPublish("direct_logs", "error", props().contentType("application/json")
                    .contentEncoding("gzip").headers(oddHeaders()).build(), randomBytes(512));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> subscriber.metric("subscriber_messages_received_total") >= receivedBefore + 3);
        assertTrue(subscriber.isLive() && subscriber.isReady(), "the log subscriber is fine");
        // Its (server-named) queues hold nothing: every message was acked.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode queues = system.admin().get("/queues/" + java.net.URLEncoder.encode(system.vhost(),
                    StandardCharsets.UTF_8));
            long subscriberQueues = 0;
            for (JsonNode queue : queues) {
                if (queue.path("name").asText().startsWith("amq.gen-")) {
                    subscriberQueues++;
                    assertEquals(0, queue.path("messages").asLong(-1), queue.path("name").asText());
                }
            }
            assertEquals(3, subscriberQueues, "one queue per exchange");
        });
    }

    private static String publishTask(byte[] body, AMQP.BasicProperties properties) throws Exception {
        String id = UUID.randomUUID().toString();
        AMQP.BasicProperties withId = properties.builder().messageId(id).deliveryMode(2).build();
        try (Channel channel = amqp.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish("", "task_queue", withId, body);
            channel.waitForConfirmsOrDie(10_000);
        }
        return id;
    }

    private static String request(Channel channel, String replyTo, byte[] body, Map<String, Object> headers)
            throws Exception {
        return requestWith(channel, props().replyTo(replyTo).headers(headers), body);
    }

    private static String requestWith(Channel channel, AMQP.BasicProperties.Builder properties, byte[] body)
            throws Exception {
        String correlation = UUID.randomUUID().toString();
        channel.basicPublish("", "rpc_queue", properties.correlationId(correlation).build(), body);
        return correlation;
    }

    /** Waits until the queues are empty, nothing unacked either (the management API's figures, fresh enough). */
    private static void awaitNothingLeftIn(String... queues) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String queue : queues) {
                assertEquals(0, Amqp.depth(amqp, queue), queue + " ready");
                JsonNode stats = system.admin().queue(system.vhost(), queue);
                assertEquals(0, stats.path("messages_unacknowledged").asLong(), queue + " unacked");
                assertEquals(0, stats.path("messages").asLong(), queue + " messages");
            }
        });
    }

    private static int status(AMQP.BasicProperties properties) {
        Object status = properties.getHeaders() == null ? null : properties.getHeaders().get("status");
        return status instanceof Number number ? number.intValue() : -1;
    }

    private static Map<String, Object> oddHeaders() {
        Map<String, Object> headers = new HashMap<>();
        headers.put("x-delivery-count", "not a number");
        headers.put("procedure", List.of(1, "two", Map.of("three", 3)));
        headers.put("empty", "");
        headers.put("bytes", new byte[] { 0, (byte) 0xFF, 10 });
        headers.put("void", null);
        return headers;
    }

    private static Map<String, String> filter(Map<String, String> outcomes, Map<String, String> expected) {
        Map<String, String> seen = new HashMap<>();
        expected.keySet().forEach(id -> seen.put(id, outcomes.get(id)));
        return seen;
    }

    private static AMQP.BasicProperties.Builder props() {
        return new AMQP.BasicProperties.Builder();
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A huge task that is quick to do: no '.' (one unit of work each). */
    private static byte[] lettersWithoutDots(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'x');
        return bytes;
    }
}
