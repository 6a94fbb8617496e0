package dev.rabbitworks.worker.messaging;

import static dev.rabbitworks.worker.messaging.TaskQueueFixture.forTask;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.GetResponse;

import dev.rabbitworks.worker.config.WorkerConfig;
import dev.rabbitworks.worker.messaging.TaskQueueFixture.Event;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class FailureHandlingTest extends WorkerBrokerTest {

    @Inject
    WorkerConfig config;

    @Test
    void deadLettersAFailingTaskAfterItsRetriesWithTheReasonInHeaders() {
        TaskQueueFixture.Events events = broker.listenToOutcomes();

        String taskId = broker.publishTask("fail.");

        GetResponse deadLetter = broker.awaitDeadLetter(taskId, WAIT);
        Map<String, Object> headers = deadLetter.getProps().getHeaders();
        assertTrue(String.valueOf(headers.get("x-failure-reason")).contains("asked to fail"), headers::toString);
        assertEquals(config.retryDelays().size() + 1, ((Number) headers.get("x-attempts")).intValue());
        assertDoesNotThrow(() -> Instant.parse(String.valueOf(headers.get("x-failed-at"))));
        assertEquals("fail.", new String(deadLetter.getBody(), StandardCharsets.UTF_8));
        assertEquals(2, deadLetter.getProps().getDeliveryMode());

        List<Event> failed = events.await(forTask(taskId), 4, WAIT);
        assertEquals(List.of(1, 2, 3, 4), failed.stream().map(Event::attempt).toList());
        assertTrue(failed.stream().allMatch(e -> e.routingKey().equals("task.failed")), failed::toString);
        assertTrue(failed.stream().noneMatch(e -> e.body().path("error").asText().isBlank()), failed::toString);
    }

    @Test
    void waitsLongerBeforeEachRetry() {
        TaskQueueFixture.Events events = broker.listenToLifecycle();

        String taskId = broker.publishTask("fail");

        broker.awaitDeadLetter(taskId, WAIT);
        events.await(forTask(taskId).and(e -> e.state().equals("dead")), 1, WAIT);
        List<Event> lifecycle = events.matching(forTask(taskId));
        // Timed by the events' own timestamps (the worker's clock), not by their arrival: the delay runs from the
        // retry publish, which retrying's timestamp marks, to the next attempt's start.
        for (int retry = 1; retry <= config.retryDelays().size(); retry++) {
            int attempt = retry;
            Event retrying = only(lifecycle, e -> e.state().equals("retrying") && e.attempt() == attempt);
            Event next = only(lifecycle, e -> e.state().equals("started") && e.attempt() == attempt + 1);
            long delay = config.retryDelays().get(retry - 1).toMillis();
            long gap = Duration.between(retrying.timestamp(), next.timestamp()).toMillis();
            assertEquals(delay, retrying.body().path("delayMs").asLong(), retrying::toString);
            assertTrue(gap >= delay, "retry " + retry + " started " + gap + " ms after it was sent, delay " + delay);
        }
    }

    private static Event only(List<Event> events, java.util.function.Predicate<Event> matching) {
        List<Event> found = events.stream().filter(matching).toList();
        assertEquals(1, found.size(), () -> "in " + events);
        return found.get(0);
    }

    @Test
    void completesAFlakyTaskOnItsSecondAttempt() {
        TaskQueueFixture.Events events = broker.listenToOutcomes();

        String taskId = broker.publishTask("flaky.");

        List<Event> attempts = events.await(forTask(taskId), 2, WAIT);
        assertEquals(List.of("1 failed", "2 completed"),
                attempts.stream().map(e -> e.attempt() + " " + e.outcome()).toList());
        assertEquals(0, broker.deadLetters());
    }

    @Test
    void deadLettersABodyThatIsNotUtf8AtOnce() {
        TaskQueueFixture.Events events = broker.listenToOutcomes();
        byte[] notUtf8 = { 'a', (byte) 0xC3, (byte) 0x28, '.' };

        String taskId = broker.publishBytes(notUtf8);

        GetResponse deadLetter = broker.awaitDeadLetter(taskId, WAIT);
        assertArrayEquals(notUtf8, deadLetter.getBody());
        Map<String, Object> headers = deadLetter.getProps().getHeaders();
        assertTrue(String.valueOf(headers.get("x-failure-reason")).contains("UTF-8"), headers::toString);
        assertEquals(1, ((Number) headers.get("x-attempts")).intValue());
        Event failed = events.await(forTask(taskId), 1, WAIT).get(0);
        assertEquals(1, failed.attempt());
        assertTrue(failed.body().path("error").asText().contains("UTF-8"), failed::toString);
        assertEquals(1, events.matching(forTask(taskId)).size(), "not retried");
    }

}
