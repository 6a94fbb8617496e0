package dev.rabbitworks.producer.rest;

import java.util.List;
import java.util.concurrent.CompletionException;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.rabbitworks.broker.PublishFailure;
import dev.rabbitworks.producer.messaging.RpcTimeout;
import dev.rabbitworks.producer.status.IdempotentSubmissions;
import dev.rabbitworks.producer.status.StatusNotLoaded;
import dev.rabbitworks.producer.validation.BodyTooLarge;
import dev.rabbitworks.producer.validation.InvalidInput;
import dev.rabbitworks.producer.validation.UnreadableBody;
import dev.rabbitworks.producer.validation.UnsupportedContentType;

/** Turns every failure, ours and JAX-RS's own (404, 405, 406, 415 ...), into a problem body. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalidInput(InvalidInput e) {
        return Problems.of(400, "invalid-input", "Invalid input", e.getMessage());
    }

    @ServerExceptionMapper
    public Response keyReused(IdempotentSubmissions.KeyReused e) {
        return Problems.of(422, "idempotency-key-reused", "Idempotency-Key used for another request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response bodyTooLarge(BodyTooLarge e) {
        return Problems.of(413, "body-too-large", "Request body too large", e.getMessage());
    }

    @ServerExceptionMapper
    public Response unsupportedContentType(UnsupportedContentType e) {
        return Problems.of(415, "unsupported-content-type", "Unsupported content type", e.getMessage());
    }

    @ServerExceptionMapper
    public Response unreadableBody(UnreadableBody e) {
        LOG.debug(e.getMessage());
        return Problems.of(400, "unreadable-body", "Unreadable request body", e.getMessage());
    }

    @ServerExceptionMapper
    public Response publishFailure(PublishFailure e) {
        return switch (e.reason()) {
            case UNROUTABLE -> Problems.of(503, "unroutable", "No queue took the message", e.getMessage());
            case NACKED -> Problems.of(503, "not-confirmed", "The broker refused the message", e.getMessage());
            case TIMEOUT -> Problems.of(503, "confirm-timeout", "The broker did not confirm in time", e.getMessage());
            case UNAVAILABLE -> Problems.of(503, "broker-unavailable", "The broker is unavailable", e.getMessage());
            case REFUSED -> refused(e);
        };
    }

    /** Our validation let through what AMQP cannot carry: a defect of ours, logged, nothing was published. */
    private static Response refused(PublishFailure e) {
        LOG.errorf("a message could not be written to the broker: %s", e.getMessage());
        return Problems.http(500, "the message could not be written to the broker; nothing was published");
    }

    @ServerExceptionMapper
    public Response statusNotLoaded(StatusNotLoaded e) {
        return Response.fromResponse(Problems.of(503, "status-loading", "Task statuses still loading", e.getMessage()))
                .header(HttpHeaders.RETRY_AFTER, "1").build();
    }

    @ServerExceptionMapper
    public Response rpcTimeout(RpcTimeout e) {
        return Problems.of(504, "rpc-timeout", "No reply in time", e.getMessage());
    }

    @ServerExceptionMapper
    public Response completion(CompletionException e) {
        return e.getCause() != null ? map(e.getCause()) : unexpected(e);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response original = e.getResponse();
        Response problem = Problems.http(original.getStatus(), e.getMessage());
        List<Object> allow = original.getHeaders().get(HttpHeaders.ALLOW);
        if (allow == null || allow.isEmpty()) {
            return problem;
        }
        Response.ResponseBuilder withAllow = Response.fromResponse(problem);
        allow.forEach(value -> withAllow.header(HttpHeaders.ALLOW, value));
        return withAllow.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return Problems.http(500, "unexpected failure; see the service log");
    }

    private Response map(Throwable e) {
        if (e instanceof InvalidInput x) {
            return invalidInput(x);
        } else if (e instanceof IdempotentSubmissions.KeyReused x) {
            return keyReused(x);
        } else if (e instanceof BodyTooLarge x) {
            return bodyTooLarge(x);
        } else if (e instanceof UnsupportedContentType x) {
            return unsupportedContentType(x);
        } else if (e instanceof UnreadableBody x) {
            return unreadableBody(x);
        } else if (e instanceof PublishFailure x) {
            return publishFailure(x);
        } else if (e instanceof RpcTimeout x) {
            return rpcTimeout(x);
        } else if (e instanceof StatusNotLoaded x) {
            return statusNotLoaded(x);
        } else if (e instanceof WebApplicationException x) {
            return webApplication(x);
        }
        return unexpected(e);
    }
}
