package dev.rabbitworks.worker.messaging;

import static dev.rabbitworks.worker.messaging.TaskQueueFixture.forTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.rabbitworks.worker.messaging.TaskQueueFixture.Event;
import io.quarkus.test.junit.QuarkusTest;

/**
 * worker.event-delivery=confirmed (the default): a task is acked only once its final event is confirmed. The final
 * event is made unconfirmable by a queue the broker refuses to store it in (max length 0, overflow reject-publish:
 * the broker nacks the publish, the other queues still get their copy): the task is not acked but requeued, and runs
 * again; once the event can be confirmed, it is acked.
 */
@QuarkusTest
class FinalEventConfirmationTest extends WorkerBrokerTest {

    private final String refusing = "events-test.refuses-" + UUID.randomUUID();

    @AfterEach
    void deleteTheRefusingQueue() {
        broker.amqp.deleteQueue(refusing);
    }

    @Test
    void aTaskWhoseCompletedEventIsNotConfirmedIsRequeuedNotAckedAndAckedOnceItIs() throws IOException {
        TaskQueueFixture.Events events = broker.listenToLifecycle();
        refuse("task.completed");

        String taskId = broker.publishTask("unconfirmed.");

        // Requeued after worker.event-timeout of refusals, not acked: the broker delivers it again.
        events.await(forTask(taskId).and(e -> e.stateAndAttempt().equals("started 2")), 1, WAIT);
        List<Event> firstAttempt = events.matching(forTask(taskId).and(e -> e.attempt() == 1));
        assertEquals("started 1", firstAttempt.get(0).stateAndAttempt());
        List<Event> completedCopies = firstAttempt.stream().filter(e -> e.state().equals("completed")).toList();
        assertTrue(completedCopies.size() >= 1, firstAttempt::toString);
        // Sent again while refused, as one event: the same message id each time.
        assertEquals(1, completedCopies.stream().map(e -> e.properties().getMessageId()).distinct().count(),
                completedCopies::toString);

        broker.amqp.deleteQueue(refusing);

        Event completed = events.await(forTask(taskId).and(e -> e.state().equals("completed") && e.attempt() > 1), 1,
                WAIT).get(0);
        await().atMost(WAIT).until(() -> broker.readyTasks() == 0 && inFlight.inProgress() == 0);
        assertEquals(0, broker.deadLetters(), "never dead-lettered: " + completed);
    }

    @Test
    void aDeadTaskIsAckedOnlyOnceItsDeadEventIsConfirmed() throws IOException {
        TaskQueueFixture.Events events = broker.listenToLifecycle();
        refuse("task.dead");

        String taskId = broker.publishBytes(new byte[] { (byte) 0xFF });

        // In the dead letters, but its dead event refused: requeued, run again, dead-lettered again.
        events.await(forTask(taskId).and(e -> e.stateAndAttempt().equals("started 2")), 1, WAIT);
        broker.amqp.deleteQueue(refusing);
        events.await(forTask(taskId).and(e -> e.state().equals("dead") && e.attempt() > 1), 1, WAIT);
        await().atMost(WAIT).until(() -> broker.readyTasks() == 0 && inFlight.inProgress() == 0);
        assertTrue(broker.deadLetters() >= 2, "a duplicate in the dead letters, never a loss");
    }

    /** A queue that makes the broker nack every event with this routing key. */
    private void refuse(String routingKey) throws IOException {
        broker.amqp.channel().queueDeclare(refusing, false, false, false,
                Map.of("x-max-length", 0, "x-overflow", "reject-publish"));
        broker.amqp.channel().queueBind(refusing, topology.topicExchange(), routingKey);
    }
}
