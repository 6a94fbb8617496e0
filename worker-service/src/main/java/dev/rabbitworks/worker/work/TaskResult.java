package dev.rabbitworks.worker.work;

import java.time.Duration;

/**
 * The end of one attempt at a task.
 *
 * @param delivery what was attempted
 * @param outcome completed or failed
 * @param duration how long the attempt took
 * @param error why it failed, null when it completed
 * @param failureKind whether a retry could help, null when it completed
 */
public record TaskResult(TaskDelivery delivery, TaskOutcome outcome, Duration duration, String error,
        FailureKind failureKind) {

    public static TaskResult completed(TaskDelivery delivery, Duration duration) {
        return new TaskResult(delivery, TaskOutcome.COMPLETED, duration, null, null);
    }

    public static TaskResult failed(TaskDelivery delivery, Duration duration, FailureKind kind, String error) {
        return new TaskResult(delivery, TaskOutcome.FAILED, duration, error, kind);
    }
}
