package dev.rabbitworks.worker.messaging;

import static dev.rabbitworks.worker.messaging.TaskQueueFixture.forTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The events' own connection: confirms tracked to the last one, and back by itself after what a broker does. */
@QuarkusTest
class TaskEventPublisherTest extends WorkerBrokerTest {

    @Inject
    TaskEventPublisher publisher;

    @Test
    void everyEventPublishedIsConfirmed() {
        TaskQueueFixture.Events events = broker.listenToOutcomes();

        List<String> ids = IntStream.range(0, 50).mapToObj(i -> broker.publishTask("")).toList();

        ids.forEach(id -> events.await(forTask(id), 1, WAIT));
        await().atMost(WAIT).until(() -> publisher.unconfirmedCount() == 0);
    }

    @Test
    void publishesAgainAfterTheBrokerClosedItsConnection() {
        await().atMost(WAIT).until(() -> broker.workerConnections().size() == 1);
        String closed = broker.workerConnections().get(0);

        broker.management.closeConnection(closed);

        await().atMost(WAIT).untilAsserted(() -> {
            List<String> connections = broker.workerConnections();
            assertEquals(1, connections.size(), connections::toString);
            assertFalse(connections.contains(closed));
        });
        await().atMost(WAIT).until(publisher::isPublishing);
        TaskQueueFixture.Events events = broker.listenToOutcomes();
        events.await(forTask(broker.publishTask("")), 1, WAIT);
    }

    @Test
    void declaresTheExchangeAgainWhenSomeoneDeletedIt() throws IOException {
        broker.amqp.channel().exchangeDelete(topology.topicExchange());

        // The next event meets no exchange: the broker closes the publisher's channel, which opens a new one and
        // declares the exchange again; the task's completed event, refused with the channel, is sent again on the
        // new one before the ack, so the task is done once and acked.
        String unreported = broker.publishTask("");
        await().atMost(WAIT).until(() -> broker.readyTasks() == 0 && inFlight.inProgress() == 0);
        await().atMost(WAIT)
                .until(() -> broker.managementGet("/exchanges/{vhost}/" + topology.topicExchange()) != null);

        await().atMost(WAIT).until(publisher::isPublishing);
        TaskQueueFixture.Events events = broker.listenToOutcomes();
        String reported = broker.publishTask("");
        events.await(forTask(reported), 1, WAIT);
        assertEquals(0, events.matching(forTask(unreported)).size(), "published while the exchange was gone");
    }
}
