package dev.rabbitworks.worker.work;

/** What to tell the broker about a delivery once its attempt is over. */
public enum Settlement {
    /** Done: remove it from the queue. */
    ACK,
    /** Failed, try again: back to the queue (counted by the quorum queue's x-delivery-count). */
    REQUEUE,
    /** Give up now: rejected without requeue, so the queue dead-letters it. */
    DEAD_LETTER
}
