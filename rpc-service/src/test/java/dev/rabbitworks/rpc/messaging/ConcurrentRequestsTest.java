package dev.rabbitworks.rpc.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;

import dev.rabbitworks.testing.AmqpTestClient;
import dev.rabbitworks.testing.ManagementApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * One replica works on several requests at once, up to its prefetch, on the real broker. The {@code hold}
 * procedure keeps each call in progress until the test releases it, so what is measured is how many requests
 * the service has started and not finished, not how long anything took. Handled one at a time (on the client's
 * dispatch thread, as the tutorials' RPCServer does), the service would only ever hold one.
 */
@QuarkusTest
@TestProfile(ConcurrencyProfile.class)
class ConcurrentRequestsTest {

    private static final Duration SOON = Duration.ofSeconds(10);

    @Inject
    HoldProcedure hold;

    private final ManagementApi management = ManagementApi.fromConfig();
    private AmqpTestClient client;
    private RpcCaller caller;

    @BeforeEach
    void connectAndWaitForTheService() {
        hold.reset();
        client = AmqpTestClient.connect();
        caller = new RpcCaller(client);
        await().atMost(Duration.ofSeconds(20)).until(() -> !management.consumers(caller.rpcQueue()).isEmpty());
    }

    @AfterEach
    void releaseAndDisconnect() {
        hold.releaseAll();
        client.close();
    }

    @Test
    void requestsAreWorkedOnConcurrentlyUpToThePrefetchAndEachGetsItsOwnReply() {
        int requests = 2 * ConcurrencyProfile.PREFETCH;
        String replyQueue = client.declareTemporaryQueue();
        Map<String, Integer> sent = new HashMap<>();
        for (int i = 0; i < requests; i++) {
            AMQP.BasicProperties request = RpcCaller.request(replyQueue, HoldProcedure.NAME);
            sent.put(request.getCorrelationId(), i);
            caller.publish(request, Integer.toString(i).getBytes(StandardCharsets.UTF_8));
        }

        // As many at once as the prefetch allows, and no more (the rest wait in rpc_queue).
        await().atMost(SOON).until(() -> hold.inProgress() == ConcurrencyProfile.PREFETCH);
        assertEquals(requests - ConcurrencyProfile.PREFETCH, client.messageCount(caller.rpcQueue()));
        assertNull(client.get(replyQueue), "no reply before its call returned");

        hold.releaseAll();

        Map<String, String> replies = new HashMap<>();
        await().atMost(SOON).until(() -> {
            GetResponse reply = client.get(replyQueue);
            if (reply != null) {
                replies.put(reply.getProps().getCorrelationId(), new String(reply.getBody(), StandardCharsets.UTF_8));
            }
            return replies.size() == requests;
        });
        assertEquals(sent.keySet(), replies.keySet(), "one reply per request, with its own correlation id");
        replies.values().forEach(body -> assertEquals("released", body));
        assertEquals(ConcurrencyProfile.PREFETCH, hold.maxInProgress(), "never more at once than the prefetch");
        assertNull(client.get(replyQueue), "one reply per request");
        assertEquals(0, client.messageCount(caller.rpcQueue()));
    }

    @Test
    void aSlowRequestDoesNotHoldTheFastOnesBehindIt() {
        String heldReplyQueue = client.declareTemporaryQueue();
        AMQP.BasicProperties held = RpcCaller.request(heldReplyQueue, HoldProcedure.NAME);
        caller.publish(held, new byte[0]);
        await().atMost(SOON).until(() -> hold.inProgress() == 1);

        // Answered while the first request is still in progress.
        RpcCaller.Call fast = caller.call("fib", "30");
        assertEquals("832040", fast.body());
        assertEquals(fast.request().getCorrelationId(), fast.correlationId());
        assertEquals(1, hold.inProgress());
        assertNull(client.get(heldReplyQueue));

        hold.releaseAll();
        GetResponse reply = client.awaitMessage(heldReplyQueue, SOON);
        assertEquals(held.getCorrelationId(), reply.getProps().getCorrelationId());
        assertEquals("released", new String(reply.getBody(), StandardCharsets.UTF_8));
    }
}
