package dev.rabbitworks.rpc.messaging;

/** The reason given when a request without reply_to is rejected: there is nobody to answer. */
public class MissingReplyToException extends RuntimeException {

    public MissingReplyToException() {
        super("request without reply_to: rejected, not answered", null, false, false);
    }
}
