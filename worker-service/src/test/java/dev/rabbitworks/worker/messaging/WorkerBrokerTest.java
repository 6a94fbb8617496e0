package dev.rabbitworks.worker.messaging;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.worker.lifecycle.InFlightTasks;

/**
 * Common ground for the tests on the real broker: task_queue is shared by every test of this virtual host, so
 * each test starts with the worker consuming, nothing in progress, and empty task and dead-letter queues.
 */
abstract class WorkerBrokerTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    TopologyConfig topology;

    @Inject
    TaskQueueConsumer consumer;

    @Inject
    InFlightTasks inFlight;

    TaskQueueFixture broker;

    @BeforeEach
    void startFromAnIdleWorker() {
        broker = new TaskQueueFixture(topology);
        await().atMost(WAIT).until(consumer::isConsuming);
        broker.purgeTasksAndDeadLetters();
        await().atMost(WAIT).until(() -> inFlight.inProgress() == 0 && broker.readyTasks() == 0);
        broker.purgeTasksAndDeadLetters();
    }

    @AfterEach
    void cleanUp() {
        broker.purgeTasksAndDeadLetters();
        broker.close();
    }
}
