package dev.rabbitworks.worker.messaging;

import static dev.rabbitworks.worker.messaging.TaskQueueFixture.forTask;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.rabbitworks.worker.config.WorkerConfig;
import dev.rabbitworks.worker.messaging.TaskQueueFixture.Event;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * worker.event-delivery=best-effort: the same events, published after the ack and never waited for, skipped while
 * the broker blocks publishers; tasks go on being done and acked.
 */
@QuarkusTest
@TestProfile(BestEffortEventsTest.BestEffort.class)
class BestEffortEventsTest extends WorkerBrokerTest {

    public static class BestEffort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("worker.event-delivery", "best-effort");
        }
    }

    private final String refusing = "events-test.refuses-" + UUID.randomUUID();

    @Inject
    PublishGate gate;

    @Inject
    WorkerConfig config;

    @AfterEach
    void cleared() {
        gate.open();
        broker.amqp.deleteQueue(refusing);
    }

    @Test
    void reportsTheSameLifecycle() {
        TaskQueueFixture.Events events = broker.listenToLifecycle();

        String taskId = broker.publishTask("flaky.");

        events.await(forTask(taskId).and(e -> e.state().equals("completed")), 1, WAIT);
        assertEquals(List.of("started 1", "failed 1", "retrying 1", "started 2", "completed 2"),
                events.matching(forTask(taskId)).stream().map(Event::stateAndAttempt).toList());
    }

    @Test
    void acksWithoutWaitingForTheCompletedEvent() throws IOException {
        TaskQueueFixture.Events events = broker.listenToLifecycle();
        broker.amqp.channel().queueDeclare(refusing, false, false, false,
                Map.of("x-max-length", 0, "x-overflow", "reject-publish"));
        broker.amqp.channel().queueBind(refusing, topology.topicExchange(), "task.completed");

        String taskId = broker.publishTask("refused.");

        events.await(forTask(taskId).and(e -> e.state().equals("completed")), 1, WAIT);
        await().atMost(WAIT).until(() -> broker.readyTasks() == 0 && inFlight.inProgress() == 0);
        // The confirmed delivery would requeue it after worker.event-timeout; this one never runs it again.
        await().during(config.eventTimeout().plusSeconds(1)).atMost(config.eventTimeout().plusSeconds(5))
                .until(() -> events.matching(forTask(taskId).and(e -> e.attempt() > 1)).isEmpty());
    }

    @Test
    void goesOnDoingTasksWhileTheBrokerBlocksPublishersWithoutTheirEvents() {
        TaskQueueFixture.Events events = broker.listenToLifecycle();
        gate.close("memory alarm (test)");

        String taskId = broker.publishTask("during the alarm.");

        await().atMost(WAIT).until(() -> broker.readyTasks() == 0 && inFlight.inProgress() == 0);
        assertTrue(consumer.isConsuming());
        gate.open();
        String after = broker.publishTask("after the alarm.");
        events.await(forTask(after).and(e -> e.state().equals("completed")), 1, WAIT);
        assertEquals(List.of(), events.matching(forTask(taskId)), "skipped while blocked: its status stays behind");
    }
}
