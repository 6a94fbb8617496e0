package dev.rabbitworks.worker.work;

/** What becomes of a delivery once its attempt is over. */
public enum Settlement {
    /** Done: remove it from the queue. */
    ACK,
    /** Failed, try again later: published to the retry queue of this attempt (confirmed), then acked. */
    RETRY,
    /** Give up: published to the dead-letter exchange with the failure's headers (confirmed), then acked. */
    DEAD_LETTER
}
