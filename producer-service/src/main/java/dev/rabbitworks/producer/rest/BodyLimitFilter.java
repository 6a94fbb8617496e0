package dev.rabbitworks.producer.rest;

import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.rabbitworks.producer.config.ProducerConfig;
import dev.rabbitworks.producer.validation.BodyTooLarge;

/**
 * Refuses a body announced (Content-Length) over producer.max-body-size before it is read. Chunked bodies
 * are measured by the resources; Quarkus's own, higher, limit (a bare 413) only stops the absurd ones.
 */
public class BodyLimitFilter {

    private final long limit;

    public BodyLimitFilter(ProducerConfig config) {
        this.limit = config.maxBodySize().asLongValue();
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> checkAnnouncedLength(ContainerRequestContext request) {
        String announced = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (announced == null) {
            return Optional.empty();
        }
        long length;
        try {
            length = Long.parseLong(announced.trim());
        } catch (NumberFormatException e) {
            return Optional.of(Problems.http(400, "unreadable Content-Length: " + announced));
        }
        if (length > limit) {
            BodyTooLarge tooLarge = new BodyTooLarge(length, limit);
            return Optional.of(Problems.of(413, "body-too-large", "Request body too large", tooLarge.getMessage()));
        }
        return Optional.empty();
    }
}
