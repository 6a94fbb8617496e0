package dev.rabbitworks.worker.messaging;

import static dev.rabbitworks.worker.messaging.TaskQueueFixture.forTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
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
        TaskQueueFixture.Events events = broker.listenToEvents();

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
    void waitsLongerBeforeEachRetry() throws Exception {
        // Pushed to a consumer, timed on arrival: polling would blur the gaps.
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        String queue = broker.amqp.declareBoundQueue(topology.topicExchange(), "task.failed");
        String taskId = UUID.randomUUID().toString();
        broker.amqp.channel().basicConsume(queue, true, (tag, delivery) -> {
            if (new String(delivery.getBody(), StandardCharsets.UTF_8).contains(taskId)) {
                arrivals.add(System.nanoTime());
            }
        }, tag -> {
        });

        broker.amqp.publish("", topology.taskQueue(), new AMQP.BasicProperties.Builder().deliveryMode(2)
                .contentType("text/plain").messageId(taskId).build(), "fail".getBytes(StandardCharsets.UTF_8));

        broker.awaitDeadLetter(taskId, WAIT);
        await().atMost(WAIT).until(() -> arrivals.size() == 4);
        for (int retry = 1; retry < arrivals.size(); retry++) {
            long gapMillis = (arrivals.get(retry) - arrivals.get(retry - 1)) / 1_000_000;
            long delay = config.retryDelays().get(retry - 1).toMillis();
            assertTrue(gapMillis >= delay - 5, "retry " + retry + " came " + gapMillis + " ms later, delay " + delay);
        }
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
        Map<String, Object> headers = deadLetter.getProps().getHeaders();
        assertTrue(String.valueOf(headers.get("x-failure-reason")).contains("UTF-8"), headers::toString);
        assertEquals(1, ((Number) headers.get("x-attempts")).intValue());
        Event failed = events.await(forTask(taskId), 1, WAIT).get(0);
        assertEquals(1, failed.attempt());
        assertTrue(failed.body().path("error").asText().contains("UTF-8"), failed::toString);
        assertEquals(1, events.matching(forTask(taskId)).size(), "not retried");
    }

}
