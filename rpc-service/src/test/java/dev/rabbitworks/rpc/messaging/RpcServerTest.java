package dev.rabbitworks.rpc.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.GetResponse;

import dev.rabbitworks.rpc.procedure.Fibonacci;
import dev.rabbitworks.testing.AmqpTestClient;
import dev.rabbitworks.testing.ManagementApi;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/** The service on the real broker, called like the tutorials' RPC client. */
@QuarkusTest
class RpcServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Well within the reply timeout (2 s in tests), which each bad request used to take from the next. */
    private static final Duration PROMPTLY = Duration.ofSeconds(1);

    @Inject
    MeterRegistry meters;

    private final ManagementApi management = ManagementApi.fromConfig();
    private AmqpTestClient client;
    private RpcCaller caller;

    @BeforeEach
    void connectAndWaitForTheService() {
        client = AmqpTestClient.connect();
        caller = new RpcCaller(client);
        await().atMost(Duration.ofSeconds(20)).until(() -> !management.consumers(caller.rpcQueue()).isEmpty());
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void fibIsAnsweredWithTheSameCorrelationIdAndStatus200() {
        RpcCaller.Call call = caller.call("fib", "30");

        assertEquals(call.request().getCorrelationId(), call.correlationId());
        assertEquals(200, call.status());
        assertEquals("text/plain", call.contentType());
        assertEquals("832040", call.body());
    }

    @Test
    void requestWithoutProcedureHeaderComputesFib() {
        RpcCaller.Call call = caller.call(null, "10");

        assertEquals(200, call.status());
        assertEquals("55", call.body());
    }

    @Test
    void fibIsExactForLargeArguments() {
        assertEquals("354224848179261915075", caller.call("fib", "100").body());
    }

    @Test
    void instanceProcedureTellsWhichReplicaAnswered() throws IOException {
        RpcCaller.Call call = caller.call("instance", "");

        assertEquals(200, call.status());
        assertEquals("application/json", call.contentType());
        JsonNode body = JSON.readTree(call.reply().getBody());
        assertEquals("rpc-test-instance", body.path("instance").asText());
        assertTrue(body.path("uptimeMs").asLong() > 0, body.toString());
    }

    @Test
    void unknownProcedureGets404WithTheCorrelationId() throws IOException {
        RpcCaller.Call call = caller.call("shutdown", "now");

        assertEquals(call.request().getCorrelationId(), call.correlationId());
        assertEquals(404, call.status());
        assertEquals("application/json", call.contentType());
        assertTrue(JSON.readTree(call.reply().getBody()).path("error").asText().startsWith("unknown procedure"));
    }

    @Test
    void outOfRangeArgumentGets400() throws IOException {
        RpcCaller.Call call = caller.call("fib", "10001");

        assertEquals(call.request().getCorrelationId(), call.correlationId());
        assertEquals(400, call.status());
        assertEquals("out of range: the argument must be between 0 and 10000",
                JSON.readTree(call.reply().getBody()).path("error").asText());
    }

    @Test
    void notANumberGets400() throws IOException {
        RpcCaller.Call call = caller.call("fib", "ten");

        assertEquals(400, call.status());
        assertTrue(JSON.readTree(call.reply().getBody()).path("error").asText().startsWith("not a number"));
    }

    @Test
    void invalidUtf8Gets400() {
        RpcCaller.Call call = caller.call("fib", new byte[] { '1', (byte) 0xff });

        assertEquals(400, call.status());
    }

    @Test
    void textPlainAndJsonRequestsAreUnderstood() {
        String replyQueue = client.declareTemporaryQueue();
        caller.publish(RpcCaller.request(replyQueue, null).builder().contentType("text/plain").build(),
                "12".getBytes(StandardCharsets.UTF_8));
        assertEquals("144", new String(client.awaitMessage(replyQueue, RpcCaller.REPLY_WAIT).getBody(),
                StandardCharsets.UTF_8));

        caller.publish(RpcCaller.request(replyQueue, null).builder().contentType("application/json").build(),
                "\"12\"".getBytes(StandardCharsets.UTF_8));
        assertEquals("144", new String(client.awaitMessage(replyQueue, RpcCaller.REPLY_WAIT).getBody(),
                StandardCharsets.UTF_8));
    }

    @Test
    void requestWithoutReplyToIsRejectedNotRequeuedAndTheServiceGoesOn() {
        double before = unanswered("missing-reply-to");

        caller.publish(RpcCaller.request(null, "fib").builder().replyTo(null).build(),
                "10".getBytes(StandardCharsets.UTF_8));

        // Consumed and rejected once; a requeued request would come back and count again.
        await().atMost(Duration.ofSeconds(10)).until(() -> unanswered("missing-reply-to") == before + 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> unanswered("missing-reply-to") == before + 1);
        assertEquals(0, client.messageCount(caller.rpcQueue()));
        // The management API refreshes its statistics every few seconds.
        await().atMost(Duration.ofSeconds(15)).until(() -> management.unackedMessages(caller.rpcQueue()) == 0
                && management.readyMessages(caller.rpcQueue()) == 0);
        assertEquals("55", caller.call("fib", "10").body());
    }

    @Test
    void replyToThatLeadsNowhereDoesNotStopTheService() {
        caller.publish(RpcCaller.request("amq.rabbitmq.reply-to.no-such-caller", "fib"),
                "10".getBytes(StandardCharsets.UTF_8));
        caller.publish(RpcCaller.request("no-such-queue", "fib"), "10".getBytes(StandardCharsets.UTF_8));

        assertEquals("55", caller.call("fib", "10").body());
    }

    @Test
    void malformedDirectReplyToIsRejectedAndDoesNotHoldTheRequestsBehindIt() {
        String serviceConnection = serviceConnection();
        double before = unanswered("invalid-reply-to");
        String replyQueue = client.declareTemporaryQueue();

        // Published to, these names made RabbitMQ 3.10-4.0 close the publishing connection (541), the
        // requests in hand with it, while the honest request queued behind.
        byte[] ten = "10".getBytes(StandardCharsets.UTF_8);
        caller.publish(RpcCaller.request(ReplyToValidatorTest.MALFORMED, "fib"), ten);
        caller.publish(RpcCaller.request(ReplyToValidatorTest.MALFORMED, "fib"), ten);
        AMQP.BasicProperties honest = RpcCaller.request(replyQueue, "fib");
        caller.publish(honest, "11".getBytes(StandardCharsets.UTF_8));

        GetResponse reply = client.awaitMessage(replyQueue, PROMPTLY);
        assertEquals(honest.getCorrelationId(), reply.getProps().getCorrelationId());
        assertEquals("89", new String(reply.getBody(), StandardCharsets.UTF_8));
        // Not answered: rejected as such, and nothing was published that broke the service's connection.
        await().atMost(Duration.ofSeconds(5)).until(() -> unanswered("invalid-reply-to") == before + 2);
        assertEquals(0, client.messageCount(caller.rpcQueue()));
        assertEquals(List.of(serviceConnection), serviceConnections());
    }

    @Test
    void correlationIdTooLongToEchoIsRejectedAndDoesNotWedgeTheReplies() {
        double before = unanswered("invalid-correlation-id");
        String badReplyQueue = client.declareTemporaryQueue();
        // 100 bytes of invalid UTF-8 arrive as 100 U+FFFD: 300 bytes, more than a short string holds.
        // Copied onto a reply, the client library refuses to write it (with the connector, that reply was retried
        // for ever and held every later one).
        byte[] invalidUtf8 = new byte[100];
        Arrays.fill(invalidUtf8, (byte) 0xff);
        caller.publish(new RawRequestProperties(invalidUtf8, badReplyQueue.getBytes(StandardCharsets.UTF_8)),
                "10".getBytes(StandardCharsets.UTF_8));
        String replyQueue = client.declareTemporaryQueue();
        AMQP.BasicProperties honest = RpcCaller.request(replyQueue, "fib");
        caller.publish(honest, "12".getBytes(StandardCharsets.UTF_8));

        GetResponse reply = client.awaitMessage(replyQueue, PROMPTLY);
        assertEquals(honest.getCorrelationId(), reply.getProps().getCorrelationId());
        assertEquals("144", new String(reply.getBody(), StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(5)).until(() -> unanswered("invalid-correlation-id") == before + 1);
        assertNull(client.get(badReplyQueue));
    }

    @Test
    void parallelRequestsEachGetTheirOwnAnswer() throws IOException {
        String replyQueue = client.declareTemporaryQueue();
        Map<String, Integer> argumentByCorrelationId = new ConcurrentHashMap<>();
        IntStream.range(0, 30).parallel().forEach(n -> {
            AMQP.BasicProperties request = RpcCaller.request(replyQueue, "fib");
            argumentByCorrelationId.put(request.getCorrelationId(), n);
            caller.publish(request, Integer.toString(n).getBytes(StandardCharsets.UTF_8));
        });

        Map<String, String> answers = new ConcurrentHashMap<>();
        await().atMost(RpcCaller.REPLY_WAIT).until(() -> {
            var reply = client.get(replyQueue);
            if (reply != null) {
                answers.put(reply.getProps().getCorrelationId(), new String(reply.getBody(), StandardCharsets.UTF_8));
            }
            return answers.size() == argumentByCorrelationId.size();
        });
        argumentByCorrelationId.forEach((correlationId, n) -> assertEquals(Fibonacci.of(n).toString(),
                answers.get(correlationId), "reply to fib(" + n + ")"));
        assertNull(client.get(replyQueue), "one reply per request");
    }

    @Test
    void answersOnDirectReplyTo() throws Exception {
        // As the producer-service calls: consume amq.rabbitmq.reply-to (no-ack) and publish on the same channel.
        Map<String, String> answers = new ConcurrentHashMap<>();
        try (Channel channel = client.connection().createChannel()) {
            DeliverCallback onReply = (tag, delivery) -> answers.put(delivery.getProperties().getCorrelationId(),
                    new String(delivery.getBody(), StandardCharsets.UTF_8));
            channel.basicConsume("amq.rabbitmq.reply-to", true, onReply, tag -> {
            });
            AMQP.BasicProperties request = RpcCaller.request("amq.rabbitmq.reply-to", "fib");
            channel.basicPublish("", caller.rpcQueue(), request, "20".getBytes(StandardCharsets.UTF_8));

            await().atMost(RpcCaller.REPLY_WAIT).until(() -> answers.containsKey(request.getCorrelationId()));
            assertEquals("6765", answers.get(request.getCorrelationId()));
        }
    }

    @Test
    void rpcQueueIsDurableClassicWithoutArgumentsAndOnlyTheDefaultBinding() {
        JsonNode queue = management.queue(caller.rpcQueue());

        assertNotNull(queue);
        assertTrue(queue.path("durable").asBoolean());
        assertFalse(queue.path("auto_delete").asBoolean());
        assertFalse(queue.path("exclusive").asBoolean());
        assertEquals("classic", queue.path("type").asText());
        assertEquals(0, queue.path("arguments").size(), queue.path("arguments").toString());

        String vhost = urlEncoded(queue.path("vhost").asText());
        JsonNode bindings = management.get("/queues/" + vhost + "/" + urlEncoded(caller.rpcQueue()) + "/bindings");
        assertEquals(1, bindings.size(), bindings.toString());
        assertEquals("", bindings.get(0).path("source").asText());
    }

    @Test
    void consumerAcksManuallyWithTheConfiguredPrefetch() {
        List<JsonNode> consumers = management.consumers(caller.rpcQueue());

        assertEquals(1, consumers.size());
        assertEquals(10, consumers.get(0).path("prefetch_count").asInt());
        assertTrue(consumers.get(0).path("ack_required").asBoolean());
    }

    @Test
    void oneConnectionNamedAfterTheServiceConsumesAndReplies() {
        caller.call("fib", "1");

        assertEquals(1, serviceConnections().size(), serviceConnections().toString());
    }

    /** The broker's name of the service's one connection (it changes when the connection is reopened). */
    private String serviceConnection() {
        await().atMost(Duration.ofSeconds(10)).until(() -> serviceConnections().size() == 1);
        return serviceConnections().get(0);
    }

    private List<String> serviceConnections() {
        return management.connectionNames("rpc-service ");
    }

    private double unanswered(String reason) {
        Counter counter = meters.find("rpc.requests.unanswered").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String urlEncoded(String segment) {
        return java.net.URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
