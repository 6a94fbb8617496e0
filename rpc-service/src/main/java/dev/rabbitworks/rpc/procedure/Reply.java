package dev.rabbitworks.rpc.procedure;

import java.nio.charset.StandardCharsets;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What goes back to the caller: the {@code status} header, the content type and the body. */
public record Reply(int status, String contentType, byte[] body) {

    public static final int OK = 200;
    public static final int BAD_ARGUMENT = 400;
    public static final int UNKNOWN_PROCEDURE = 404;
    public static final int INTERNAL_ERROR = 500;

    public static final String TEXT_PLAIN = "text/plain";
    public static final String APPLICATION_JSON = "application/json";

    public static Reply text(String text) {
        return new Reply(OK, TEXT_PLAIN, text.getBytes(StandardCharsets.UTF_8));
    }

    public static Reply json(Object value) {
        return new Reply(OK, APPLICATION_JSON, Json.write(value));
    }

    /** An error reply: {@code {"error": "..."}} as application/json. */
    public static Reply error(int status, String message) {
        return new Reply(status, APPLICATION_JSON, Json.write(new ErrorBody(message)));
    }

    public String bodyAsText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body of every error reply; serialized by Jackson. */
    @RegisterForReflection
    public record ErrorBody(String error) {
    }
}
