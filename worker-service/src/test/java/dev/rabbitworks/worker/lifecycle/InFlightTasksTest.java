package dev.rabbitworks.worker.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class InFlightTasksTest {

    private final InFlightTasks tasks = new InFlightTasks();

    @Test
    void drainWaitsForTheTaskInHand() throws Exception {
        assertTrue(tasks.tryStart());
        CompletableFuture.runAsync(tasks::finish, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));

        assertTrue(tasks.drain(Duration.ofSeconds(5)));
        assertEquals(0, tasks.inProgress());
    }

    @Test
    void drainGivesUpAfterItsTimeout() throws Exception {
        assertTrue(tasks.tryStart());

        assertFalse(tasks.drain(Duration.ofMillis(50)));
        assertEquals(1, tasks.inProgress());
    }

    @Test
    void refusesNewTasksOnceDraining() throws Exception {
        assertTrue(tasks.drain(Duration.ZERO));

        assertFalse(tasks.tryStart());
    }
}
