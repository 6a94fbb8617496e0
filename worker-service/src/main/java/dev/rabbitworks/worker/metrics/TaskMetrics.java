package dev.rabbitworks.worker.metrics;

import jakarta.enterprise.context.ApplicationScoped;

import dev.rabbitworks.worker.lifecycle.InFlightTasks;
import io.quarkus.runtime.Startup;
import dev.rabbitworks.worker.work.TaskOutcome;
import dev.rabbitworks.worker.work.TaskResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The worker's meters, exported at /q/metrics (Prometheus names: worker_tasks_completed_total, ...). Registered at
 * start, so a worker that has had no task yet reports zeros rather than nothing.
 */
@Startup
@ApplicationScoped
public class TaskMetrics {

    private final Counter completed;
    private final Counter failed;
    private final Timer completedDuration;
    private final Timer failedDuration;

    public TaskMetrics(MeterRegistry registry, InFlightTasks inFlight) {
        completed = Counter.builder("worker.tasks.completed").description("Task attempts that completed")
                .register(registry);
        failed = Counter.builder("worker.tasks.failed").description("Task attempts that failed (each retry counts)")
                .register(registry);
        Gauge.builder("worker.tasks.in-progress", inFlight, InFlightTasks::inProgress)
                .description("Tasks being worked on right now").register(registry);
        completedDuration = duration(registry, TaskOutcome.COMPLETED);
        failedDuration = duration(registry, TaskOutcome.FAILED);
    }

    public void record(TaskResult result) {
        boolean done = result.outcome() == TaskOutcome.COMPLETED;
        (done ? completed : failed).increment();
        (done ? completedDuration : failedDuration).record(result.duration());
    }

    private static Timer duration(MeterRegistry registry, TaskOutcome outcome) {
        return Timer.builder("worker.task.duration").description("Time spent on one task attempt")
                .tag("outcome", outcome.label()).register(registry);
    }
}
