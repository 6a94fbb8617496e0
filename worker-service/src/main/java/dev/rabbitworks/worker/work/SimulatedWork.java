package dev.rabbitworks.worker.work;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.rabbitworks.worker.config.WorkerConfig;
import io.smallrye.mutiny.Uni;

/**
 * The tutorial's "work": one unit per '.' in the body. It is a timer, not a sleeping thread: no event-loop or
 * worker thread is held while a task is in progress (prefetch, not threads, limits the tasks in flight).
 */
@ApplicationScoped
public class SimulatedWork {

    private final Duration workUnit;

    public SimulatedWork(WorkerConfig config) {
        this.workUnit = config.workUnit();
    }

    public Uni<Void> perform(Task task) {
        long units = task.workUnits();
        if (units == 0) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(workUnit.multipliedBy(units));
    }
}
