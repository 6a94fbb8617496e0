package dev.rabbitworks.system.badinput;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import dev.rabbitworks.system.support.Amqp;
import dev.rabbitworks.system.support.Http;
import dev.rabbitworks.system.support.Service;
import dev.rabbitworks.system.support.ServiceProcess;
import dev.rabbitworks.system.support.SystemUnderTest;

/**
 * Every bad input the producer can receive over HTTP, through the running services: the exact 4xx, an
 * application/problem+json body, and nothing published. "Nothing published" is read three ways: the producer's own
 * publish counters, the exact depths of the queues (task_queue, rpc_queue and test queues bound to the fanout and
 * topic exchanges), and, once at the end, the management API's depths. No worker runs, so a task that got through
 * would stay in task_queue. RPC rows reach the rpc-service (only it knows its procedures and their bounds): their
 * request is published, answered with the error, and consumed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpBadInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** producer.max-body-size is 1M (as shipped). */
    private static final byte[] TOO_LARGE = "x".repeat(1024 * 1024 + 1).getBytes(StandardCharsets.UTF_8);
    private static final String KEY_256 = "k".repeat(256);
    private static final byte[] NOT_UTF8 = { 'c', 'a', 'f', (byte) 0xE9 };
    private static final List<String> PUBLISH_TARGETS = List.of("task", "broadcast", "direct", "topic");

    private static SystemUnderTest system;
    private static ServiceProcess producer;
    private static Connection amqp;
    private static final Map<String, Long> depthsAtStart = new LinkedHashMap<>();
    private static String fanoutWatch;
    private static String topicWatch;

    /** One row of the table: what is sent, and the exact status expected. */
    record BadInput(String what, String path, String contentType, byte[] body, int status, boolean reachesRpc) {
        @Override
        public String toString() {
            return what + " -> " + status;
        }
    }

    static Stream<BadInput> badInputs() {
        byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                http("task body over max-body-size", "/tasks", "text/plain", TOO_LARGE, 413),
                http("broadcast body over max-body-size", "/broadcast", "text/plain", TOO_LARGE, 413),
                http("rpc argument over max-body-size", "/rpc/fib", "text/plain", TOO_LARGE, 413),
                http("empty task", "/tasks", "text/plain", new byte[0], 400),
                http("empty broadcast", "/broadcast", "text/plain", new byte[0], 400),
                http("empty direct log", "/logs/error", "text/plain", new byte[0], 400),
                http("empty topic event", "/events/kern.info", "text/plain", new byte[0], 400),
                http("empty severity", "/logs/", "text/plain", hello, 400),
                http("empty topic key", "/events/", "text/plain", hello, 400),
                http("severity over 255 bytes", "/logs/" + KEY_256, "text/plain", hello, 400),
                http("topic key over 255 bytes", "/events/" + KEY_256, "text/plain", hello, 400),
                http("topic key with *", "/events/kern.*", "text/plain", hello, 400),
                http("topic key with #", "/events/kern.%23", "text/plain", hello, 400),
                http("severity with #", "/logs/info%23", "text/plain", hello, 400),
                http("severity with *", "/logs/info*", "text/plain", hello, 400),
                http("severity not UTF-8", "/logs/%FF", "text/plain", hello, 400),
                http("topic key not UTF-8", "/events/kern.%FF", "text/plain", hello, 400),
                http("bad procedure name", "/rpc/Fib_2", "text/plain", "10".getBytes(StandardCharsets.UTF_8), 400),
                rpc("unknown procedure", "/rpc/nosuch", "10", 404),
                rpc("fib argument above the maximum", "/rpc/fib", "10001", 400),
                rpc("fib argument negative", "/rpc/fib", "-1", 400),
                rpc("fib argument not a number", "/rpc/fib", "ten", 400),
                http("rpc argument not UTF-8", "/rpc/fib", "text/plain", NOT_UTF8, 400),
                http("task as XML", "/tasks", "application/xml", "<task/>".getBytes(StandardCharsets.UTF_8), 415),
                http("task without content type", "/tasks", null, hello, 415),
                http("task in ISO-8859-1", "/tasks", "text/plain; charset=ISO-8859-1", hello, 415),
                http("task text not UTF-8", "/tasks", "text/plain", NOT_UTF8, 400),
                http("malformed JSON task", "/tasks", "application/json", "{\"a\": ".getBytes(StandardCharsets.UTF_8),
                        400),
                http("JSON task with trailing text", "/tasks", "application/json",
                        "{} tail".getBytes(StandardCharsets.UTF_8), 400),
                http("batch over max-body-size", "/tasks/batch", "application/json", TOO_LARGE, 413),
                http("empty batch body", "/tasks/batch", "application/json", new byte[0], 400),
                batch("batch that is not an array", "{\"task\": \"a\"}", 400),
                batch("batch with no task", "[]", 400),
                batch("batch with an empty task", "[\"a.\", \"\"]", 400),
                batch("batch over max-batch-size (1000)", "[" + "\"a\",".repeat(1000) + "\"a\"]", 400),
                batch("malformed batch", "[\"a.\",", 400),
                batch("batch with trailing text", "[\"a.\"] tail", 400),
                http("batch not UTF-8", "/tasks/batch", "application/json",
                        new byte[] { '[', '"', 'c', (byte) 0xE9, '"', ']' }, 400),
                http("batch as text/plain", "/tasks/batch", "text/plain",
                        "[\"a.\"]".getBytes(StandardCharsets.UTF_8), 415));
    }

    private static BadInput http(String what, String path, String contentType, byte[] body, int status) {
        return new BadInput(what, path, contentType, body, status, false);
    }

    private static BadInput batch(String what, String json, int status) {
        return http(what, "/tasks/batch", "application/json", json.getBytes(StandardCharsets.UTF_8), status);
    }

    private static BadInput rpc(String what, String path, String argument, int status) {
        return new BadInput(what, path, "text/plain", argument.getBytes(StandardCharsets.UTF_8), status, true);
    }

    @BeforeAll
    static void startTheSystem() throws Exception {
        system = SystemUnderTest.forClass(HttpBadInputIT.class);
        producer = system.launch(Service.PRODUCER, "producer");
        ServiceProcess rpc = system.launch(Service.RPC, "rpc");
        SystemUnderTest.awaitReady(producer, rpc);
        amqp = system.connect("system-tests-bad-input");
        try (Channel channel = amqp.createChannel()) {
            // The producer declared the exchanges; these queues see anything published to them.
            channel.exchangeDeclare("logs", BuiltinExchangeType.FANOUT, true, false, null);
            channel.exchangeDeclare("topic_logs", BuiltinExchangeType.TOPIC, true, false, null);
            fanoutWatch = channel.queueDeclare("system-tests.watch.logs", true, false, false, null).getQueue();
            channel.queueBind(fanoutWatch, "logs", "");
            topicWatch = channel.queueDeclare("system-tests.watch.topic", true, false, false, null).getQueue();
            channel.queueBind(topicWatch, "topic_logs", "#");
        }
        for (String queue : watchedQueues()) {
            depthsAtStart.put(queue, Amqp.depth(amqp, queue));
        }
    }

    @AfterAll
    static void stopTheSystem() {
        try {
            if (amqp != null) {
                amqp.abort();
            }
        } finally {
            if (system != null) {
                system.close();
            }
        }
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void isRefusedWithItsExact4xxAProblemBodyAndNothingPublished(BadInput input) throws Exception {
        Map<String, Double> publishedBefore = publishes();
        double rpcBefore = producer.metric("producer_publishes_total", "target=\"rpc\"");

        Http.Response response = Http.post(producer.url(input.path()), input.contentType(), input.body());

        assertEquals(input.status(), response.status(), response::body);
        assertTrue(response.contentType().startsWith("application/problem+json"), response::contentType);
        JsonNode problem = JSON.readTree(response.body());
        assertEquals(input.status(), problem.path("status").asInt(), response::body);
        assertTrue(problem.hasNonNull("title") && problem.hasNonNull("type"), response::body);

        assertEquals(publishedBefore, publishes(), "nothing published by the producer");
        assertEquals(rpcBefore + (input.reachesRpc() ? 1 : 0),
                producer.metric("producer_publishes_total", "target=\"rpc\""), "RPC requests published");
        for (String queue : watchedQueues()) {
            assertEquals(depthsAtStart.get(queue), Amqp.depth(amqp, queue), queue + " depth");
        }
    }

    /** After the whole table. */
    @Order(2)
    @Test
    void theManagementApiShowsTheQueueDepthsUnchanged() {
        // Its statistics lag a few seconds behind: wait for a fresh sample that matches, within a bound.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String queue : watchedQueues()) {
                JsonNode stats = system.admin().queue(system.vhost(), queue);
                assertEquals((long) depthsAtStart.get(queue), stats.path("messages").asLong(-1), queue);
            }
        });
        assertTrue(producer.isLive() && producer.isReady(), "the producer is fine");
    }

    private static List<String> watchedQueues() {
        return List.of("task_queue", "rpc_queue", fanoutWatch, topicWatch);
    }

    /** The producer's publish counters per target (all outcomes), RPC aside. */
    private static Map<String, Double> publishes() {
        String metrics = producer.metrics();
        Map<String, Double> counts = new LinkedHashMap<>();
        for (String target : PUBLISH_TARGETS) {
            counts.put(target, dev.rabbitworks.system.support.Metrics.sum(metrics, "producer_publishes_total",
                    "target=\"" + target + "\""));
        }
        return counts;
    }
}
