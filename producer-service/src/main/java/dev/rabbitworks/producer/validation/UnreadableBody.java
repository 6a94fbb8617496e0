package dev.rabbitworks.producer.validation;

import java.io.IOException;

/** The request body could not be read (the client went away, or sent a broken stream). */
public final class UnreadableBody extends RuntimeException {

    public UnreadableBody(IOException cause) {
        super("the request body could not be read: " + cause.getMessage(), cause, false, false);
    }
}
