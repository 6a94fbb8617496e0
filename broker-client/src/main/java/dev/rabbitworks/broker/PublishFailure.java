package dev.rabbitworks.broker;

/**
 * Why the broker did not take a message; every reason means "not known to be stored" (HTTP 503), but
 * REFUSED, which means "not sent" (HTTP 500: input that validation should have refused).
 */
public final class PublishFailure extends RuntimeException {

    public enum Reason {
        /** No open connection or channel, or the channel closed before the confirm. */
        UNAVAILABLE,
        /** The broker nacked the message (it could not store it). */
        NACKED,
        /** No confirm within producer.publish-timeout: the outcome is unknown. */
        TIMEOUT,
        /** Confirmed but returned: no queue is bound for it. */
        UNROUTABLE,
        /** The client library could not write the message (a property over an AMQP limit): never sent. */
        REFUSED
    }

    private final Reason reason;

    public PublishFailure(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
