package dev.rabbitworks.worker.messaging;

import static dev.rabbitworks.worker.messaging.TaskQueueFixture.forTask;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.GetResponse;

import dev.rabbitworks.worker.messaging.TaskQueueFixture.Event;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class FailureHandlingTest extends WorkerBrokerTest {

    @Test
    void deadLettersAFailingTaskAfterDeliveryLimitPlusOneAttempts() {
        TaskQueueFixture.Events events = broker.listenToEvents();

        String taskId = broker.publishTask("fail.");

        GetResponse deadLetter = broker.awaitDeadLetter(taskId, WAIT);
        Map<String, String> death = newestDeath(deadLetter);
        // The last attempt is rejected by the worker itself (see RetryPolicy), not returned for the queue to drop.
        assertEquals("rejected", death.get("reason"));
        assertEquals(topology.taskQueue(), death.get("queue"));
        int attempts = (int) topology.taskDeliveryLimit() + 1;
        List<Event> failed = events.await(forTask(taskId), attempts, WAIT);
        assertEquals(List.of(1, 2, 3, 4), failed.stream().map(Event::attempt).toList());
        assertTrue(failed.stream().allMatch(e -> e.routingKey().equals("task.failed")), failed::toString);
        assertTrue(failed.stream().noneMatch(e -> e.body().path("error").asText().isBlank()), failed::toString);
    }

    @Test
    void completesAFlakyTaskOnItsSecondAttempt() {
        TaskQueueFixture.Events events = broker.listenToEvents();

        String taskId = broker.publishTask("flaky.");

        List<Event> attempts = events.await(forTask(taskId), 2, WAIT);
        assertEquals(List.of("1 failed", "2 completed"),
                attempts.stream().map(e -> e.attempt() + " " + e.outcome()).toList());
        assertEquals(0, broker.deadLetters());
    }

    @Test
    void deadLettersABodyThatIsNotUtf8AtOnce() {
        TaskQueueFixture.Events events = broker.listenToEvents();
        byte[] notUtf8 = { 'a', (byte) 0xC3, (byte) 0x28, '.' };

        String taskId = broker.publishBytes(notUtf8);

        GetResponse deadLetter = broker.awaitDeadLetter(taskId, WAIT);
        assertArrayEquals(notUtf8, deadLetter.getBody());
        assertEquals("rejected", newestDeath(deadLetter).get("reason"));
        Event failed = events.await(forTask(taskId), 1, WAIT).get(0);
        assertEquals(1, failed.attempt());
        assertTrue(failed.body().path("error").asText().contains("UTF-8"), failed::toString);
        assertEquals(1, events.matching(forTask(taskId)).size(), "not retried");
    }

    /** The newest x-death entry, its values as strings. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> newestDeath(GetResponse deadLetter) {
        List<Map<String, Object>> deaths = (List<Map<String, Object>>) deadLetter.getProps().getHeaders()
                .get("x-death");
        assertFalse(deaths == null || deaths.isEmpty(), "x-death header");
        Map<String, String> death = new HashMap<>();
        deaths.get(0).forEach((key, value) -> death.put(key, String.valueOf(value)));
        return death;
    }
}
