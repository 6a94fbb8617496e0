package dev.rabbitworks.worker.config;

/**
 * How the worker delivers a task's final event ({@code task.completed}, {@code task.dead}) relative to the task's
 * ack (docs/worker-service.md, "Event delivery"). In config: {@code confirmed} or {@code best-effort}.
 */
public enum EventDelivery {
    /**
     * The final event is confirmed by the broker before the task is acked; if it is not, the task is requeued. A
     * task's status can be late, never wrong for ever. While the broker blocks publishers the worker takes no task.
     */
    CONFIRMED,
    /**
     * Every event is published after the ack and never waited for; skipped while the broker blocks publishers. A
     * crash between the ack and the event, or an alarm, loses the event and leaves the status where it was.
     */
    BEST_EFFORT
}
