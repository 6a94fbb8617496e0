package dev.rabbitworks.producer.rest;

import static dev.rabbitworks.producer.ProducerTests.assertProblem;
import static dev.rabbitworks.producer.ProducerTests.request;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.rabbitworks.producer.ProducerTests;
import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.testing.AmqpTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Bad input gets the exact 4xx with a problem body, and nothing is published: the producer's publish
 * counter does not move and the work queue keeps its depth.
 */
@QuarkusTest
class BadInputTest {

    /** Over the test profile's producer.max-body-size (1K). */
    private static final byte[] TOO_LARGE = "x".repeat(1025).getBytes(StandardCharsets.UTF_8);

    @Inject
    MeterRegistry registry;

    @Inject
    TopologyConfig topology;

    @TestHTTPResource("/")
    URI root;

    private AmqpTestClient amqp;
    private double publishesBefore;
    private long depthBefore;

    @BeforeEach
    void recordState() {
        ProducerTests.awaitReady();
        amqp = AmqpTestClient.connect();
        publishesBefore = ProducerTests.publishAttempts(registry);
        depthBefore = amqp.messageCount(topology.taskQueue());
    }

    @AfterEach
    void nothingWasPublished() {
        try {
            assertEquals(publishesBefore, ProducerTests.publishAttempts(registry), "a publish was attempted");
            assertEquals(depthBefore, amqp.messageCount(topology.taskQueue()), "the work queue changed");
        } finally {
            amqp.close();
        }
    }

    @Test
    void emptyTaskIs400() {
        assertProblem(request().contentType("text/plain").body(new byte[0]).post("/tasks").then(), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = { "{", "{\"a\": }", "{} trailing", "[1,]", "not json" })
    void malformedJsonTaskIs400(String json) {
        assertProblem(request().contentType("application/json").body(json).post("/tasks").then(), 400);
    }

    @Test
    void textTaskThatIsNotUtf8Is400() {
        byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        assertProblem(request().contentType("text/plain").body(latin1).post("/tasks").then(), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = { "application/xml", "application/octet-stream", "text/html",
            "text/plain; charset=ISO-8859-1" })
    void taskOfAnotherContentTypeIs415(String contentType) {
        assertProblem(request().contentType(contentType).body("<task/>".getBytes(StandardCharsets.UTF_8))
                .post("/tasks").then(), 415);
    }

    @Test
    void taskWithoutContentTypeIs415() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(root.resolve("/tasks"))
                .POST(HttpRequest.BodyPublishers.ofString("work...")));
        assertEquals(415, response.statusCode(), response::body);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith(ProducerTests.PROBLEM_JSON));
    }

    @ParameterizedTest
    @ValueSource(strings = { "/tasks", "/broadcast", "/logs/info", "/events/kern.info", "/rpc/fib" })
    void bodyOverTheLimitIs413(String path) {
        assertProblem(request().contentType("text/plain").body(TOO_LARGE).post(path).then(), 413);
    }

    @Test
    void chunkedBodyOverTheLimitIs413() throws Exception {
        // No Content-Length: the body is measured after it was read.
        HttpResponse<String> response = send(HttpRequest.newBuilder(root.resolve("/tasks"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(TOO_LARGE))));
        assertEquals(413, response.statusCode(), response::body);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith(ProducerTests.PROBLEM_JSON));
        assertTrue(response.body().contains("\"status\":413"), response::body);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/broadcast", "/logs/info", "/events/kern.info" })
    void emptyPubSubMessageIs400(String path) {
        assertProblem(request().contentType("text/plain").body(new byte[0]).post(path).then(), 400);
    }

    /**
     * A media type over the AMQP short-string limit (255 bytes) or with characters outside HTTP tokens is refused
     * before a publish is tried (it once broke the publisher's confirm bookkeeping for every later client).
     */
    @ParameterizedTest
    @ValueSource(strings = { "/broadcast", "/logs/info", "/events/kern.info", "/tasks" })
    void contentTypeThatAmqpCannotCarryIs415(String path) {
        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        assertProblem(request().contentType("a/" + "b".repeat(254)).body(body).post(path).then(), 415);
        for (String malformed : List.of("text/pl@in", "text/plain x")) {
            // Refused by the framework's media type parser (400) or by ours (415): a problem either way.
            request().contentType(malformed).body(body).post(path).then()
                    .statusCode(anyOf(is(400), is(415))).contentType(startsWith(ProducerTests.PROBLEM_JSON));
        }
    }

    @ParameterizedTest
    @MethodSource("badRoutingKeyPaths")
    void badRoutingKeyIs400(String path) {
        assertProblem(request().urlEncodingEnabled(false).contentType("text/plain").body("hello")
                .post(path).then(), 400);
    }

    static Stream<String> badRoutingKeyPaths() {
        String key256 = "k".repeat(256);
        return Stream.of("/logs", "/logs/", "/events", "/events/",
                "/logs/" + key256, "/events/" + key256,
                "/logs/info*", "/logs/info%23", "/events/kern.*", "/events/kern.%23", "/events/%23",
                "/logs/%FF", "/events/kern.%FF");
    }

    @ParameterizedTest
    @ValueSource(strings = { "/rpc", "/rpc/", "/rpc/Fib", "/rpc/fib_x", "/rpc/2fib", "/rpc/f1234567890123456789012345678901234567890123456789012345678901234" })
    void badProcedureNameIs400(String path) {
        assertProblem(request().contentType("text/plain").body("10").post(path).then(), 400);
    }

    @Test
    void rpcArgumentThatIsNotUtf8Is400() {
        byte[] bad = { 'x', (byte) 0xff };
        assertProblem(request().contentType("text/plain").body(bad).post("/rpc/fib").then(), 400);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
