package dev.rabbitworks.worker.lifecycle;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counts the tasks in progress and, once shutdown begins, refuses new ones so the ones in hand can finish and
 * be settled before the broker connection closes.
 */
@ApplicationScoped
public class InFlightTasks {

    private int inProgress;
    private boolean draining;

    /** Registers a task about to start; false when shutting down (the task is then left to the broker). */
    public synchronized boolean tryStart() {
        if (draining) {
            return false;
        }
        inProgress++;
        return true;
    }

    public synchronized void finish() {
        inProgress--;
        notifyAll();
    }

    public synchronized int inProgress() {
        return inProgress;
    }

    /** Stops accepting tasks and waits, at most {@code timeout}, for those in progress; true if none is left. */
    public synchronized boolean drain(Duration timeout) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inProgress > 0) {
            long remainingMillis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
            if (remainingMillis <= 0) {
                return false;
            }
            wait(remainingMillis);
        }
        return true;
    }
}
