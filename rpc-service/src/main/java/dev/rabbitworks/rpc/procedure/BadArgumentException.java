package dev.rabbitworks.rpc.procedure;

/** The request's argument cannot be used; the message goes back to the caller as a 400 error reply. */
public class BadArgumentException extends Exception {

    public BadArgumentException(String message) {
        super(message, null, false, false);
    }
}
