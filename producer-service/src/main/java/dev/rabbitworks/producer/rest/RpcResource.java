package dev.rabbitworks.producer.rest;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rabbitworks.producer.config.ProducerConfig;
import dev.rabbitworks.producer.messaging.RpcClient;
import dev.rabbitworks.producer.messaging.RpcReply;
import dev.rabbitworks.producer.validation.InvalidInput;
import dev.rabbitworks.producer.validation.MessageBodies;
import dev.rabbitworks.producer.validation.ProcedureNames;
import dev.rabbitworks.producer.validation.Utf8;
import io.smallrye.mutiny.Uni;

/** POST /rpc/{procedure}: one request over the broker, answered with the rpc-service's reply. */
@Path("/rpc")
@Tag(name = "rpc", description = "Remote procedure calls through the broker")
public class RpcResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RpcClient rpc;
    private final long maxBodySize;

    public RpcResource(RpcClient rpc, ProducerConfig config) {
        this.rpc = rpc;
        this.maxBodySize = config.maxBodySize().asLongValue();
    }

    @POST
    @Path("{procedure}")
    @Operation(summary = "Call a procedure (e.g. fib with the argument 10, or instance)")
    @APIResponse(responseCode = "200", description = "The reply body, with the reply's content type")
    @APIResponse(responseCode = "400", description = "Bad procedure name, argument not UTF-8, or refused by the rpc-service",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown procedure (says the rpc-service)",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Broker unavailable or no rpc queue (rpc-service not running)",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "504", description = "No reply within producer.rpc-timeout",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> call(@PathParam("procedure") String procedure, byte[] body) {
        ProcedureNames.validate(procedure);
        byte[] argument = MessageBodies.requireWithinLimit(body, maxBodySize);
        Utf8.requireValid(argument, "the argument");
        return Uni.createFrom().completionStage(rpc.call(procedure, argument)).map(RpcResource::toResponse);
    }

    @POST
    @Operation(summary = "Always 400: the procedure name is missing")
    public Response callWithoutProcedure() {
        throw new InvalidInput("the procedure name is empty: POST /rpc/{procedure}");
    }

    static Response toResponse(RpcReply reply) {
        return switch (reply.status()) {
            case 200 -> Response.ok(reply.body(),
                    reply.contentType() != null ? reply.contentType() : MediaType.APPLICATION_OCTET_STREAM).build();
            case 400 -> Problems.of(400, "rpc-bad-argument", "The procedure refused the argument", errorText(reply));
            case 404 -> Problems.of(404, "rpc-unknown-procedure", "No such procedure", errorText(reply));
            default -> Problems.of(502, "rpc-bad-reply", "Unexpected reply from the rpc-service",
                    "reply status " + reply.status() + ": " + errorText(reply));
        };
    }

    /** The reply's {"error": "..."} text, or its body as text. */
    static String errorText(RpcReply reply) {
        String text = new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            JsonNode error = JSON.readTree(text).path("error");
            if (error.isTextual()) {
                return error.asText();
            }
        } catch (Exception notJson) {
            // fall through: plain text
        }
        return text;
    }
}
