package dev.rabbitworks.producer.validation;

/** A request body over producer.max-body-size (HTTP 413). */
public final class BodyTooLarge extends RuntimeException {

    public BodyTooLarge(long size, long limit) {
        super((size < 0 ? "the body" : "the body of " + size + " bytes") + " is over the limit of " + limit + " bytes",
                null, false, false);
    }
}
