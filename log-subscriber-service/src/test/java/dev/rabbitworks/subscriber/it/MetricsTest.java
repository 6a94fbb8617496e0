package dev.rabbitworks.subscriber.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.rabbitworks.subscriber.messaging.LogChannels;
import dev.rabbitworks.testing.AmqpTestClient;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class MetricsTest {

    private static AmqpTestClient broker;

    @BeforeAll
    static void connect() {
        broker = AmqpTestClient.connect();
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    @Test
    void receivedMessagesAreCountedByExchange() {
        new ServiceQueues().awaitConsumed(LogChannels.ALL.toArray(String[]::new));
        String body = "counted " + UUID.randomUUID();

        broker.publishText(Topology.fanoutExchange(), "", body);
        ShownLogs.awaitBody(body);

        given().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("subscriber_messages_received_total{exchange=\"" + Topology.fanoutExchange()
                        + "\"}"));
    }
}
