package dev.rabbitworks.producer.rest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rabbitworks.producer.ProducerTests;
import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.testing.AmqpTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A bounded fuzz campaign over every endpoint: generated requests (paths, versions, headers, media types and
 * bodies an attacker would try), reproducible from a seed ({@code -Dfuzz.seed=...}, {@code -Dfuzz.requests=...}).
 * For every request: an answer below 500, the connection closed (each asks for it), and for every 4xx no publish.
 * After the campaign: no ERROR in the log, the work queue holds exactly the accepted tasks, and a normal task is
 * confirmed at once.
 */
@QuarkusTest
class HttpFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20261202L);
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 3000);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    MeterRegistry registry;

    @Inject
    TopologyConfig topology;

    @TestHTTPResource("/")
    URI root;

    private final ErrorLogCounter errors = new ErrorLogCounter();
    private AmqpTestClient amqp;

    @BeforeEach
    void start() throws IOException {
        ProducerTests.awaitReady();
        amqp = AmqpTestClient.connect();
        // RPC calls end in a reply rather than a timeout.
        ProducerTests.answerRpcRequests(amqp, topology.rpcQueue(), "ok");
        errors.start();
    }

    @AfterEach
    void stop() {
        errors.stop();
        try {
            amqp.deleteQueue(topology.rpcQueue());
        } finally {
            amqp.close();
        }
    }

    @Test
    void noRequestBreaksTheServiceOrPublishesWhatItRefused() throws IOException {
        Random random = new Random(SEED);
        RequestGenerator generator = new RequestGenerator(random);
        long depthBefore = amqp.messageCount(topology.taskQueue());
        long tasksAccepted = 0;
        Map<Integer, Integer> statuses = new TreeMap<>();

        for (int i = 0; i < REQUESTS; i++) {
            RequestGenerator.Request request = generator.next();
            double publishesBefore = ProducerTests.publishAttempts(registry);
            RawHttp.Answer answer = RawHttp.send(root, request.bytes(), WAIT);
            String context = "seed " + SEED + ", request " + i + ":\n" + request.describe() + "\nanswer:\n"
                    + shorten(answer.text());

            statuses.merge(answer.status(), 1, Integer::sum);
            boolean answered = answer.status() >= 100 && answer.status() < 500;
            assertTrue(answered || request.brokenFraming() && answer.status() == -1, "no answer or a 5xx; " + context);
            assertTrue(answer.closed(), "the connection stayed open; " + context);
            if (answer.status() >= 400) {
                assertEquals(publishesBefore, ProducerTests.publishAttempts(registry), "published on a 4xx; " + context);
            }
            tasksAccepted += acceptedTasks(answer);
        }
        System.out.printf("fuzz campaign: seed %d, %d requests, answers by status %s, %d tasks accepted%n", SEED,
                REQUESTS, statuses, tasksAccepted);

        assertEquals(List.of(), errors.messages(), "ERROR log lines during the campaign");
        long expectedDepth = depthBefore + tasksAccepted;
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertEquals(expectedDepth, amqp.messageCount(topology.taskQueue()),
                        "the work queue holds exactly the accepted tasks"));
        RawHttp.Answer normal = RawHttp.send(root, "POST /tasks HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 5\r\nConnection: close\r\n\r\nwork.", WAIT);
        assertEquals(202, normal.status(), normal.text());
    }

    /**
     * Tasks a 202 accepted, told by the answer (the path may be spelled "//tasks"): {"ids": [...]} for a batch,
     * {"id"} for a task; a pub/sub answer also says "routed".
     */
    private static long acceptedTasks(RawHttp.Answer answer) throws IOException {
        if (answer.status() != 202) {
            return 0;
        }
        JsonNode body = JSON.readTree(answer.body());
        if (body.has("ids")) {
            return body.get("ids").size();
        }
        return body.has("routed") ? 0 : 1;
    }

    private static String shorten(String text) {
        return text.length() <= 600 ? text : text.substring(0, 600) + "...";
    }

    /** Raw HTTP requests built from a seeded random source: mostly plausible, often hostile. */
    static final class RequestGenerator {

        /** {@code brokenFraming}: the body's chunked framing is malformed; closing without an answer is fair. */
        record Request(String method, String path, byte[] bytes, boolean brokenFraming) {

            String describe() {
                String text = new String(bytes, StandardCharsets.ISO_8859_1);
                return text.length() <= 600 ? text : text.substring(0, 600) + "...";
            }
        }

        private static final String[] METHODS = { "POST", "POST", "POST", "POST", "POST", "POST", "GET", "PUT",
                "DELETE", "PATCH", "OPTIONS", "HEAD" };
        private static final String[] FIXED_PATHS = { "/tasks", "/tasks/batch", "/broadcast", "/logs", "/events",
                "/rpc", "/", "/q/health/ready", "/tasks/", "/nope", "//tasks", "/tasks/../tasks", "/TASKS" };
        private static final String[] KEYED_PATHS = { "/logs/", "/events/", "/rpc/" };
        private static final String[] VERSIONS = { "HTTP/1.0", "HTTP/0.9", "HTTP/2.0", "http/1.1", "HTTP/1.2",
                "HTTP/9.9", "HTTP/1.1 extra" };
        private static final String[] CONTENT_TYPES = { "text/plain", "application/json", "text/plain; charset=utf-8",
                "text/plain; charset=iso-8859-1", "application/xml", "application/octet-stream", "", "*/*",
                "text/plain;;;", "text/", "/json", "TEXT/PLAIN", "application/json; charset=\"UTF-8\"",
                "a/" + "b".repeat(254), "a/" + "b".repeat(253), "text/plain; x=" + "y".repeat(300), "text/pl@in",
                "text/plain\u00e9", "application/problem+json" };
        private static final String[] JSON_BODIES = { "{}", "[]", "{\"job\": \"x\"}", "42", "null", "\"text\"",
                "1e400", "-0", "{\"a\":1,\"a\":2}", "{", "[1,]", "{\"a\": \"\\ud800\"}", "\ufeff{}", "[" .repeat(300),
                "[\"a.\", {\"job\": 1}, 1.00000000000000000001, -1e400]", "[\"\\ud800\"]", "[\"\"]",
                "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]", "[[[[[[[[[[1]]]]]]]]]]", "{\"a\": 1} trailing" };

        private final Random random;

        RequestGenerator(Random random) {
            this.random = random;
        }

        Request next() {
            String method = pick(METHODS);
            String path = random.nextInt(3) == 0 ? pick(FIXED_PATHS) : pick(KEYED_PATHS) + segment();
            if (random.nextInt(20) == 0) {
                path += "?" + segment();
            }
            String version = random.nextInt(25) == 0 ? pick(VERSIONS) : "HTTP/1.1";
            byte[] body = body();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            write(out, method + " " + path + " " + version + "\r\n");
            if (random.nextInt(30) != 0) {
                write(out, "Host: localhost\r\n");
            }
            if (random.nextInt(8) != 0) {
                out.writeBytes(("Content-Type: " + pick(CONTENT_TYPES) + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            if (random.nextInt(15) == 0) {
                write(out, "X-Fuzz: " + segment() + "\r\n");
            }
            if (random.nextInt(40) == 0) {
                write(out, "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n");
            }
            write(out, "Connection: close\r\n");
            boolean chunked = random.nextInt(10) == 0;
            boolean brokenFraming = chunked && random.nextInt(20) == 0;
            if (chunked) {
                write(out, "Transfer-Encoding: chunked\r\n\r\n");
                writeChunked(out, body, brokenFraming);
            } else {
                write(out, "Content-Length: " + body.length + "\r\n\r\n");
                out.writeBytes(body);
            }
            return new Request(method, path, out.toByteArray(), brokenFraming);
        }

        private String segment() {
            return switch (random.nextInt(10)) {
                case 0 -> "kern.info";
                case 1 -> "fib";
                case 2 -> "k".repeat(250 + random.nextInt(10));
                case 3 -> "a*b";
                case 4 -> "a%23b";
                case 5 -> "%00%FF%C3%28";
                case 6 -> "%F0%9F%98%80.x";
                case 7 -> "";
                default -> token(1 + random.nextInt(20));
            };
        }

        private String token(int length) {
            String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789.-_~";
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return text.toString();
        }

        private byte[] body() {
            return switch (random.nextInt(8)) {
                case 0 -> new byte[0];
                case 1 -> pick(JSON_BODIES).getBytes(StandardCharsets.UTF_8);
                case 2 -> {
                    byte[] bytes = new byte[1 + random.nextInt(64)];
                    random.nextBytes(bytes);
                    yield bytes;
                }
                case 3 -> ("fail " + token(5)).getBytes(StandardCharsets.UTF_8);
                case 4 -> "x".repeat(1000 + random.nextInt(100)).getBytes(StandardCharsets.UTF_8);
                case 5 -> String.valueOf(random.nextInt(20)).getBytes(StandardCharsets.UTF_8);
                default -> (token(1 + random.nextInt(30)) + "...").getBytes(StandardCharsets.UTF_8);
            };
        }

        private void writeChunked(ByteArrayOutputStream out, byte[] body, boolean brokenFraming) {
            int offset = 0;
            while (offset < body.length) {
                int size = Math.min(body.length - offset, 1 + random.nextInt(100));
                write(out, Integer.toHexString(size) + "\r\n");
                out.write(body, offset, size);
                write(out, "\r\n");
                offset += size;
            }
            write(out, brokenFraming ? "zz\r\n\r\n" : "0\r\n\r\n");
        }

        private String pick(String[] values) {
            return values[random.nextInt(values.length)];
        }

        private static void write(ByteArrayOutputStream out, String text) {
            out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        }
    }
}
