package dev.rabbitworks.worker.messaging;

import static dev.rabbitworks.worker.messaging.TaskQueueFixture.forTask;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
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
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * While the broker blocks publishers (a memory or disk alarm), the confirmed event delivery takes no task: a final
 * event could not go out, so nothing could be acked. The alarm is played here by the {@link PublishGate} (what the
 * broker's connection.blocked and connection.unblocked tell it): a real alarm on a shared broker would stop every
 * publisher on it. system-tests' BrokerMemoryAlarmIT raises a real one on a private broker.
 */
@QuarkusTest
class BrokerAlarmTest extends WorkerBrokerTest {

    @Inject
    PublishGate gate;

    @Inject
    MeterRegistry registry;

    @Inject
    WorkerConfig config;

    @AfterEach
    void alarmCleared() {
        gate.open();
    }

    @Test
    void takesNoTaskWhileTheBrokerBlocksPublishersHoldsTheOneInHandAndDoesEachOnceAfterwards() {
        TaskQueueFixture.Events events = broker.listenToLifecycle();
        double completedBefore = completedAttempts();
        String inHand = broker.publishTask(".".repeat(30));
        events.await(forTask(inHand), 1, WAIT);

        gate.close("memory alarm (test)");

        await().atMost(WAIT).until(() -> !consumer.isConsuming());
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'task-queue-consumer' }.data.paused", is(true))
                .body("checks.find { it.name == 'task-queue-consumer' }.data.brokerBlocksPublishers",
                        is("memory alarm (test)"));
        List<String> queued = List.of(broker.publishTask("queued 1."), broker.publishTask("queued 2."),
                broker.publishTask("queued 3."));
        // The task in hand is done, but neither reported completed nor acked: it waits for the broker.
        await().atMost(WAIT).until(() -> completedAttempts() == completedBefore + 1);
        assertEquals(1, inFlight.inProgress(), "held, unacked");
        assertEquals(3, broker.readyTasks(), "none taken while blocked");
        assertTrue(events.matching(forTask(inHand).and(e -> e.state().equals("completed"))).isEmpty());

        gate.open();

        for (String id : concat(inHand, queued)) {
            events.await(forTask(id).and(e -> e.state().equals("completed")), 1, WAIT);
        }
        await().atMost(WAIT).until(() -> consumer.isConsuming() && broker.readyTasks() == 0
                && inFlight.inProgress() == 0);
        for (String id : concat(inHand, queued)) {
            assertEquals(List.of("started 1", "completed 1"),
                    events.matching(forTask(id)).stream().map(Event::stateAndAttempt).toList(), "each done once");
        }
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("task-queue-consumer"))
                .body("checks.find { it.name == 'task-queue-consumer' }.data.paused", is(false));
    }

    @Test
    void aFinalEventNotConfirmedWhenTheBrokerBlocksIsSentAgainOnceItUnblocksAndTheTaskIsNotRequeued()
            throws IOException {
        TaskQueueFixture.Events events = broker.listenToLifecycle();
        String refusing = "events-test.refuses-" + UUID.randomUUID();
        broker.amqp.channel().queueDeclare(refusing, false, false, false,
                Map.of("x-max-length", 0, "x-overflow", "reject-publish"));
        broker.amqp.channel().queueBind(refusing, topology.topicExchange(), "task.completed");
        try {
            String taskId = broker.publishTask("blocked.");
            // Refused (as a blocked broker leaves it unconfirmed), then the broker blocks us.
            events.await(forTask(taskId).and(e -> e.state().equals("completed")), 1, WAIT);
            gate.close("memory alarm (test)");
            broker.amqp.deleteQueue(refusing);

            // Neither requeued at its deadline nor acked: a requeue would not be read by a blocking broker either.
            await().during(config.eventTimeout().plusMillis(500)).atMost(config.eventTimeout().plusSeconds(5))
                    .until(() -> inFlight.inProgress() == 1
                            && events.matching(forTask(taskId).and(e -> e.attempt() > 1)).isEmpty());

            gate.open();

            await().atMost(WAIT).until(() -> inFlight.inProgress() == 0 && broker.readyTasks() == 0);
            assertTrue(events.matching(forTask(taskId).and(e -> e.attempt() > 1)).isEmpty(), "done once");
        } finally {
            broker.amqp.deleteQueue(refusing);
        }
    }

    private double completedAttempts() {
        return registry.counter("worker.tasks.completed").count();
    }

    private static List<String> concat(String first, List<String> rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream()).toList();
    }
}
