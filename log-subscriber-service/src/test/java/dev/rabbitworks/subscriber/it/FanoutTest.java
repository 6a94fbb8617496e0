package dev.rabbitworks.subscriber.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.GetResponse;

import dev.rabbitworks.subscriber.messaging.LogChannels;
import dev.rabbitworks.testing.AmqpTestClient;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class FanoutTest {

    private static AmqpTestClient broker;

    @BeforeAll
    static void connect() {
        broker = AmqpTestClient.connect();
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    @BeforeEach
    void serviceIsConsuming() {
        new ServiceQueues().awaitConsumed(LogChannels.ALL.toArray(String[]::new));
    }

    @Test
    void aBroadcastMessageIsShown() {
        String body = "fanout " + UUID.randomUUID();

        broker.publishText(Topology.fanoutExchange(), "", body);

        Map<String, Object> log = ShownLogs.awaitBody(body);
        assertThat(log, hasEntry("exchange", (Object) Topology.fanoutExchange()));
        assertThat(log, hasEntry("routingKey", (Object) ""));
        assertThat(log.get("receivedAt"), notNullValue());
    }

    @Test
    void everyQueueBoundToTheFanoutGetsItsOwnCopy() {
        String otherQueue = broker.declareBoundQueue(Topology.fanoutExchange(), "");
        String body = "fanout to two " + UUID.randomUUID();

        broker.publishText(Topology.fanoutExchange(), "", body);

        ShownLogs.awaitBody(body);
        GetResponse copy = broker.awaitMessage(otherQueue, Duration.ofSeconds(10));
        assertThat(new String(copy.getBody(), StandardCharsets.UTF_8), equalTo(body));
    }
}
