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

/** The events' channel: confirms tracked to the last one, and back by itself after what a broker does. */
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
    void declaresTheExchangeAgainWhenSomeoneDeletedItAndTheTaskInHandIsReportedOnce() throws IOException {
        broker.amqp.channel().exchangeDelete(topology.topicExchange());

        // Its started event meets no exchange: the broker closes the publisher's channel, which opens a new one and
        // declares the exchange again while the task is still working (200 work units: 2 s in the tests).
        String inHand = broker.publishTask(".".repeat(200));
        await().atMost(WAIT)
                .until(() -> broker.managementGet("/exchanges/{vhost}/" + topology.topicExchange()) != null);
        // Bound before its completed event goes out: the task must still be in progress now.
        TaskQueueFixture.Events events = broker.listenToLifecycle();
        assertEquals(1, inFlight.inProgress(), "the exchange came back only after the task in hand was done");

        events.await(forTask(inHand).and(e -> e.state().equals("completed")), 1, WAIT);
        await().atMost(WAIT).until(() -> broker.readyTasks() == 0 && inFlight.inProgress() == 0);
        assertEquals(List.of("completed 1"), events.matching(forTask(inHand)).stream()
                .map(TaskQueueFixture.Event::stateAndAttempt).toList(), "done once, acked, reported once");

        String next = broker.publishTask("");
        assertEquals(List.of("started 1", "completed 1"), events.await(forTask(next), 2, WAIT).stream()
                .map(TaskQueueFixture.Event::stateAndAttempt).toList());
    }
}
