package dev.rabbitworks.producer.validation;

/** A content type the endpoint does not publish (HTTP 415). */
public final class UnsupportedContentType extends RuntimeException {

    public UnsupportedContentType(String message) {
        super(message, null, false, false);
    }
}
