package dev.rabbitworks.rpc.messaging;

import java.time.Duration;

/** The broker did not confirm a reply in time; whether it was delivered is unknown. */
public class ReplyTimeoutException extends RuntimeException {

    public ReplyTimeoutException(Duration timeout) {
        super("the broker did not confirm the reply within " + timeout.toMillis() + " ms", null, false, false);
    }
}
