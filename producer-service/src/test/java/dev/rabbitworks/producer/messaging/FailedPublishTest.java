package dev.rabbitworks.producer.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.rabbitworks.broker.PublishFailure;
import dev.rabbitworks.producer.ProducerTests;
import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.broker.PublishFailure.Reason;
import dev.rabbitworks.testing.AmqpTestClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Whatever made a publish fail, the next one is confirmed: the confirm bookkeeping stays in step with the
 * broker. The failures are produced below the HTTP layer, where validation no longer protects the publisher.
 * With the bookkeeping one apart, the next publish would wait for a confirm that went to another message and
 * fail with a timeout.
 */
@QuarkusTest
class FailedPublishTest {

    private static final byte[] BODY = "probe".getBytes(StandardCharsets.UTF_8);

    @Inject
    ConfirmedPublisher publisher;

    @Inject
    TopologyConfig topology;

    private AmqpTestClient amqp;
    private String queue;

    @BeforeEach
    void connect() {
        ProducerTests.awaitReady();
        amqp = AmqpTestClient.connect();
        queue = amqp.declareTemporaryQueue();
    }

    @AfterEach
    void close() {
        amqp.close();
    }

    @Test
    void aContentTypeOverTheShortStringLimitFailsAloneAndTheNextPublishIsConfirmed() {
        assertFails(Reason.REFUSED, publish("", queue, "a/" + "b".repeat(254)));

        assertNextPublishIsConfirmed();
    }

    @Test
    void aRoutingKeyOverTheShortStringLimitFailsAloneAndTheNextPublishIsConfirmed() {
        assertFails(Reason.REFUSED, publish("", "k".repeat(256), "text/plain"));

        assertNextPublishIsConfirmed();
    }

    @Test
    void aMissingExchangeFailsAloneAndTheNextPublishIsConfirmed() {
        // The broker closes the channel (404): the publisher opens another.
        assertFails(Reason.UNAVAILABLE, publish("no-such-exchange-" + UUID.randomUUID(), queue, "text/plain"));

        assertNextPublishIsConfirmed();
    }

    @Test
    void aNackFailsAloneAndTheNextPublishIsConfirmed() throws IOException {
        String full = "full-" + UUID.randomUUID();
        amqp.channel().queueDeclare(full, false, false, true, Map.of("x-max-length", 0,
                "x-overflow", "reject-publish"));
        try {
            assertFails(Reason.NACKED, publish("", full, "text/plain"));

            assertNextPublishIsConfirmed();
        } finally {
            amqp.deleteQueue(full);
        }
    }

    @Test
    void aFailureInTheMiddleOfABatchLeavesTheNextPublishConfirmed() {
        List<ConfirmedPublisher.Body> bodies = List.of(new ConfirmedPublisher.Body("a/" + "b".repeat(254), BODY),
                new ConfirmedPublisher.Body("text/plain", BODY));

        assertFails(Reason.REFUSED, publisher.publishBatch(PublishTarget.TASK, "", queue, bodies));

        assertNextPublishIsConfirmed();
    }

    private CompletionStage<PublishOutcome> publish(String exchange, String routingKey, String contentType) {
        return publisher.publish(PublishTarget.TASK, exchange, routingKey, contentType, BODY);
    }

    private void assertNextPublishIsConfirmed() {
        // A discarded channel is replaced within moments; a publish in between is refused at once (no channel).
        await().atMost(Duration.ofSeconds(10)).until(() -> publisher.openChannels() > 0);
        long before = amqp.messageCount(queue);

        PublishOutcome outcome = publish("", queue, "text/plain").toCompletableFuture().join();

        assertTrue(outcome.routed(), "confirmed into the queue");
        await().atMost(Duration.ofSeconds(5)).until(() -> amqp.messageCount(queue) == before + 1);
    }

    private static void assertFails(Reason expected, CompletionStage<?> publish) {
        Throwable failure = publish.toCompletableFuture().handle((result, f) -> f).join();
        if (failure instanceof CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        assertTrue(failure instanceof PublishFailure, "a PublishFailure, got " + failure);
        assertEquals(expected, ((PublishFailure) failure).reason(), failure.getMessage());
    }
}
