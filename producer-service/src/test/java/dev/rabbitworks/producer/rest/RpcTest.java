package dev.rabbitworks.producer.rest;

import static dev.rabbitworks.producer.ProducerTests.assertProblem;
import static dev.rabbitworks.producer.ProducerTests.request;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Delivery;

import dev.rabbitworks.producer.ProducerTests;
import dev.rabbitworks.producer.config.ProducerConfig;
import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.testing.AmqpTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * POST /rpc/{procedure} against a test-side responder on rpc_queue (in the test vhost the test declares
 * it, as the rpc-service would, and deletes it after).
 */
@QuarkusTest
class RpcTest {

    @Inject
    TopologyConfig topology;

    @Inject
    ProducerConfig config;

    @Inject
    MeterRegistry registry;

    private AmqpTestClient amqp;
    private final BlockingQueue<Delivery> requests = new LinkedBlockingQueue<>();

    @BeforeEach
    void connect() {
        ProducerTests.awaitReady();
        amqp = AmqpTestClient.connect();
        amqp.deleteQueue(topology.rpcQueue());
    }

    @AfterEach
    void close() {
        try {
            amqp.deleteQueue(topology.rpcQueue());
        } finally {
            amqp.close();
        }
    }

    @Test
    void replyComesBackWithItsBodyAndContentType() throws IOException {
        respondWith(request -> reply(request, 200, "text/plain", "55"));

        request().contentType("text/plain").body("10").post("/rpc/fib")
                .then().statusCode(200).contentType(startsWith("text/plain")).body(equalTo("55"));
    }

    @Test
    void requestFollowsTheContract() throws Exception {
        respondWith(request -> reply(request, 200, "text/plain", "1"));

        request().contentType("text/plain").body("1").post("/rpc/fib").then().statusCode(200);

        Delivery request = requests.poll();
        assertNotNull(request);
        AMQP.BasicProperties properties = request.getProperties();
        assertEquals("fib", String.valueOf(properties.getHeaders().get("procedure")));
        assertTrue(properties.getReplyTo().startsWith("amq.rabbitmq.reply-to"), properties.getReplyTo());
        assertNotNull(properties.getCorrelationId());
        assertEquals(Long.toString(config.rpcTimeout().toMillis()), properties.getExpiration());
        // Transient: the request lives only as long as its caller waits (docs/rpc-service.md).
        assertEquals(1, properties.getDeliveryMode());
        assertEquals("1", new String(request.getBody(), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(ints = { 400, 404 })
    void errorReplyBecomesAProblemWithItsStatus(int status) throws IOException {
        respondWith(request -> reply(request, status, "application/json", "{\"error\": \"refused by the test\"}"));

        assertProblem(request().contentType("text/plain").body("x").post("/rpc/nope").then(), status)
                .body("detail", equalTo("refused by the test"));
    }

    @Test
    void concurrentCallsEachGetTheirOwnReplyWhenRepliesComeInAnotherOrder() throws Exception {
        int calls = 16;
        List<Delivery> taken = new ArrayList<>();
        respondWith(request -> {
            // Answers only once every call is waiting, last request first, each with its own argument.
            synchronized (taken) {
                taken.add(request);
                if (taken.size() == calls) {
                    for (int i = taken.size() - 1; i >= 0; i--) {
                        Delivery each = taken.get(i);
                        publishReply(each, 200, "text/plain", "echo " + new String(each.getBody(), StandardCharsets.UTF_8));
                    }
                }
            }
            return null;
        });
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            responses.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                    + "/rpc/echo")).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString(Integer.toString(i))).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }

        for (int i = 0; i < calls; i++) {
            HttpResponse<String> response = responses.get(i).get(20, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), response::body);
            assertEquals("echo " + i, response.body());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> pendingCalls() == 0);
    }

    @Test
    void requestWithoutRpcQueueIs503AtOnce() {
        long start = System.nanoTime();
        assertProblem(request().contentType("text/plain").body("10").post("/rpc/fib").then(), 503)
                .body("detail", containsString(topology.rpcQueue()));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(config.rpcTimeout()) < 0, "took " + took + ", not at once");
    }

    @Test
    void noReplyIs504AndLeavesNoPendingCall() {
        declareRpcQueue(); // the queue exists, nobody consumes it

        assertProblem(request().contentType("text/plain").body("10").post("/rpc/fib").then(), 504);

        await().atMost(Duration.ofSeconds(5)).until(() -> pendingCalls() == 0);
    }

    @Test
    void lateReplyIsCountedAndDiscarded() throws IOException {
        respondWith(request -> null); // takes the request, answers only after the call timed out
        double lateBefore = lateReplies();

        assertProblem(request().contentType("text/plain").body("10").post("/rpc/fib").then(), 504);
        Delivery request = requests.poll();
        assertNotNull(request);
        publishReply(request, 200, "text/plain", "55");

        await().atMost(Duration.ofSeconds(5)).until(() -> lateReplies() == lateBefore + 1);
        assertEquals(0, pendingCalls());
    }

    private void declareRpcQueue() {
        try {
            amqp.channel().queueDeclare(topology.rpcQueue(), true, false, false, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Consumes rpc_queue; {@code answer} sends the reply (or not) and returns anything. */
    private void respondWith(Function<Delivery, Object> answer) throws IOException {
        declareRpcQueue();
        amqp.channel().basicConsume(topology.rpcQueue(), true, (tag, delivery) -> {
            requests.add(delivery);
            answer.apply(delivery);
        }, tag -> {
        }); // returns after consume-ok: the responder is attached
    }

    private Object reply(Delivery request, int status, String contentType, String body) {
        publishReply(request, status, contentType, body);
        return null;
    }

    private void publishReply(Delivery request, int status, String contentType, String body) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .correlationId(request.getProperties().getCorrelationId())
                .contentType(contentType)
                .headers(Map.of("status", status))
                .build();
        try {
            amqp.channel().basicPublish("", request.getProperties().getReplyTo(), properties,
                    body.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private double pendingCalls() {
        return registry.get("producer.rpc.pending").gauge().value();
    }

    private double lateReplies() {
        return registry.get("producer.rpc.late.replies").counter().count();
    }
}
