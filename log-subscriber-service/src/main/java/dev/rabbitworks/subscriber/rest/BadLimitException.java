package dev.rabbitworks.subscriber.rest;

/** A {@code limit} query parameter that is not a whole number between 1 and the number of messages kept. */
public class BadLimitException extends RuntimeException {

    public BadLimitException(String message) {
        super(message);
    }
}
