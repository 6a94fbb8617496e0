package dev.rabbitworks.worker.messaging;

import static dev.rabbitworks.worker.messaging.TaskQueueFixture.forTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rabbitworks.worker.messaging.TaskQueueFixture.Event;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class FairDispatchTest extends WorkerBrokerTest {

    @Test
    void consumesWithPrefetchOneAndManualAcks() {
        await().atMost(WAIT).untilAsserted(() -> {
            List<JsonNode> consumers = broker.management.consumers(topology.taskQueue());
            assertEquals(1, consumers.size(), consumers::toString);
            assertEquals(1, consumers.get(0).path("prefetch_count").asInt());
            assertTrue(consumers.get(0).path("ack_required").asBoolean());
        });
    }

    @Test
    void holdsBackTheNextTaskWhileOneIsUnackedEvenAfterADeadLetter() {
        TaskQueueFixture.Events events = broker.listenToOutcomes();
        // A task that fails until dead-lettered first: on RabbitMQ 3.10, dead-lettering a *returned* message
        // for its delivery limit left the consumer one credit too many (prefetch 1 then let 2 tasks in).
        broker.awaitDeadLetter(broker.publishTask("fail"), WAIT);
        // 5 s of work. Both tasks are confirmed into the queue: one in progress (delivered, unacked) and one ready,
        // read exactly (passive declare, not the management API's statistics), for 3 s on end.
        String longTask = broker.publishTask(".".repeat(500));
        String shortTask = broker.publishTask("short.");

        await().atMost(Duration.ofSeconds(2)).until(() -> inFlight.inProgress() == 1);
        await("the second task held back").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> broker.readyTasks() == 1 && inFlight.inProgress() == 1);

        List<Event> done = events.await(forTask(longTask).or(forTask(shortTask)), 2, WAIT);
        assertEquals(List.of(longTask, shortTask), done.stream().map(Event::taskId).toList());
        assertEquals(List.of("completed", "completed"), done.stream().map(Event::outcome).toList());
    }
}
