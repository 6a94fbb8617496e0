package dev.rabbitworks.producer.rest;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Builds problem responses. The body is written as a string so that it goes out as
 * application/problem+json whatever the client's Accept header said (a 406 must carry one too).
 */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:rabbitworks:problem:";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    /** A problem of our own kind, typed {@code urn:rabbitworks:problem:<kind>}. */
    public static Response of(int status, String kind, String title, String detail) {
        return response(new Problem(TYPE_PREFIX + kind, title, status, detail));
    }

    /** A plain HTTP problem (type about:blank, title the status phrase). */
    public static Response http(int status, String detail) {
        Response.StatusType statusType = Response.Status.fromStatusCode(status);
        String title = statusType != null ? statusType.getReasonPhrase() : "HTTP " + status;
        return response(new Problem("about:blank", title, status, detail));
    }

    public static String json(Problem problem) {
        try {
            return JSON.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response response(Problem problem) {
        return Response.status(problem.status())
                .header(HttpHeaders.CONTENT_TYPE, MEDIA_TYPE)
                .entity(json(problem))
                .build();
    }
}
