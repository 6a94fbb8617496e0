package dev.rabbitworks.producer.status;

/**
 * This replica has not read the task events stream up to its end yet (it just started): a task unknown to it may
 * exist, and an Idempotency-Key unknown to it may have been used. Answered with 503 and Retry-After, never with a
 * 404 or a second task.
 */
public class StatusNotLoaded extends RuntimeException {

    public StatusNotLoaded() {
        super("this replica is still reading the task events; retry in a moment", null, false, false);
    }
}
