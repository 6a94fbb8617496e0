package dev.rabbitworks.producer.validation;

/** Input that is refused before anything is published (HTTP 400). */
public final class InvalidInput extends RuntimeException {

    public InvalidInput(String message) {
        super(message, null, false, false);
    }
}
