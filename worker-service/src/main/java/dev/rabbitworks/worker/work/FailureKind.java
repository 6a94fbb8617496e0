package dev.rabbitworks.worker.work;

/** Whether another delivery of a failed task could succeed. */
public enum FailureKind {
    /** The attempt failed; the same task may succeed later (or fail until its delivery limit). */
    RETRYABLE,
    /** The task can never be done (e.g. a body that is not UTF-8): retrying only wastes deliveries. */
    UNPROCESSABLE
}
