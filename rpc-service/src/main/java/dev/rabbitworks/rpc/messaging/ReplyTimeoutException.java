package dev.rabbitworks.rpc.messaging;

import java.time.Duration;

/** A reply could not be written to the broker connection in time; it may still go out later. */
public class ReplyTimeoutException extends RuntimeException {

    public ReplyTimeoutException(Duration timeout) {
        super("the reply was not sent within " + timeout.toMillis() + " ms", null, false, false);
    }
}
