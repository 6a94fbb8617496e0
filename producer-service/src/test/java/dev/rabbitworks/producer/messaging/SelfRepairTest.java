package dev.rabbitworks.producer.messaging;

import static dev.rabbitworks.producer.ProducerTests.request;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


import dev.rabbitworks.producer.ProducerTests;
import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.testing.AmqpTestClient;
import dev.rabbitworks.testing.ManagementApi;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The producer repairs itself: after the broker closed its connection (channels and reply consumer come
 * back) and after an exchange it publishes to was deleted.
 */
@QuarkusTest
class SelfRepairTest {

    private static final Duration RECOVERY = Duration.ofSeconds(20);

    @Inject
    TopologyConfig topology;

    private final ManagementApi management = ManagementApi.fromConfig();
    private AmqpTestClient amqp;

    @BeforeEach
    void connect() {
        ProducerTests.awaitReady();
        amqp = AmqpTestClient.connect();
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
    void tasksAreAcceptedAgainAfterTheBrokerClosedTheConnection() {
        String closed = closeProducerConnection();

        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(200)).until(() -> request()
                .contentType("text/plain").body("after reconnect").post("/tasks").statusCode() == 202);
        // The management API lists connections with a little delay.
        await().atMost(RECOVERY).untilAsserted(() -> {
            List<String> now = ProducerTests.producerConnections(management);
            assertEquals(1, now.size(), now::toString);
            assertFalse(now.contains(closed), "a new connection, not the closed one");
        });
    }

    @Test
    void rpcRepliesArriveAgainAfterTheBrokerClosedTheConnection() throws IOException {
        ProducerTests.answerRpcRequests(amqp, topology.rpcQueue(), "pong");
        closeProducerConnection();

        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(200)).until(() -> request()
                .contentType("text/plain").body("").post("/rpc/ping").statusCode() == 200);
        request().contentType("text/plain").body("").post("/rpc/ping").then().statusCode(200).body(equalTo("pong"));
    }

    @Test
    void publishingWorksAgainAfterAnExchangeWasDeletedAtRunTime() throws IOException {
        amqp.channel().exchangeDelete(topology.directExchange());

        // The broker closes the publishing channel (404): that message is unconfirmed, 503.
        ProducerTests.assertProblem(request().contentType("text/plain").body("lost").post("/logs/info").then(), 503);
        // The producer reopens the channel and declares the exchange again.
        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(200)).until(() -> request()
                .contentType("text/plain").body("back").post("/logs/info").statusCode() == 202);
    }

    private String closeProducerConnection() {
        // The management API lists a new connection with a little delay.
        List<String> connections = await().atMost(RECOVERY).pollInterval(Duration.ofMillis(200))
                .until(() -> ProducerTests.producerConnections(management), found -> found.size() == 1);
        management.closeConnection(connections.get(0));
        return connections.get(0);
    }
}
