package dev.rabbitworks.subscriber.rest;

/** An RFC 9457 problem detail, sent as {@code application/problem+json}. */
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem badRequest(String detail) {
        return new Problem("about:blank", "Bad Request", 400, detail);
    }
}
