package dev.rabbitworks.subscriber.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasEntry;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;

import dev.rabbitworks.subscriber.messaging.LogChannels;
import dev.rabbitworks.testing.AmqpTestClient;
import io.quarkus.test.junit.QuarkusTest;

/** Bodies are shown as text whatever the publisher says about their content type. */
@QuarkusTest
class BodyDecodingTest {

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
    void aJsonBodyIsShownVerbatimWithItsMessageId() {
        String id = UUID.randomUUID().toString();
        String body = "{\"taskId\": \"" + id + "\",  \"outcome\": \"completed\"}";
        AMQP.BasicProperties json = new AMQP.BasicProperties.Builder()
                .contentType("application/json").messageId(id).deliveryMode(2).build();

        broker.publish(Topology.topicExchange(), "task.completed", json, body.getBytes(StandardCharsets.UTF_8));

        assertThat(ShownLogs.awaitBody(body), hasEntry("messageId", (Object) id));
    }

    @Test
    void aPlainTextBodyIsShownAsSent() {
        String body = "plain text ünïcödé " + UUID.randomUUID();
        AMQP.BasicProperties text = new AMQP.BasicProperties.Builder().contentType("text/plain").build();

        broker.publish(Topology.fanoutExchange(), "", text, body.getBytes(StandardCharsets.UTF_8));

        ShownLogs.awaitBody(body);
    }

    @Test
    void invalidUtf8IsShownWithReplacementCharactersAndTheStreamGoesOn() {
        String marker = UUID.randomUUID().toString();
        byte[] prefix = (marker + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[prefix.length + 2];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[prefix.length] = (byte) 0xC3; // a lead byte without its continuation
        body[prefix.length + 1] = (byte) 0xFF; // never valid in UTF-8
        AMQP.BasicProperties claimsText = new AMQP.BasicProperties.Builder().contentType("text/plain").build();

        broker.publish(Topology.fanoutExchange(), "", claimsText, body);

        ShownLogs.awaitBody(marker + " \uFFFD\uFFFD");
        String after = "after invalid " + UUID.randomUUID();
        broker.publishText(Topology.fanoutExchange(), "", after);
        ShownLogs.awaitBody(after);
    }
}
