package dev.rabbitworks.producer.rest;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import dev.rabbitworks.producer.config.ProducerConfig;
import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.producer.messaging.ConfirmedPublisher;
import dev.rabbitworks.producer.messaging.PublishTarget;
import dev.rabbitworks.producer.validation.ContentTypes;
import dev.rabbitworks.producer.validation.InvalidInput;
import dev.rabbitworks.producer.validation.MessageBodies;
import dev.rabbitworks.producer.validation.RoutingKeys;
import io.smallrye.mutiny.Uni;

/**
 * Publish/subscribe: a message to the fanout, direct or topic exchange. Accepted (202) once confirmed,
 * whether or not a queue was bound for it ({@code routed}); any body, published with the client's media type.
 */
@Path("/")
@Tag(name = "pub/sub", description = "Fanout, direct and topic exchanges")
@Produces(MediaType.APPLICATION_JSON)
public class PubSubResource {

    private final ConfirmedPublisher publisher;
    private final TopologyConfig topology;
    private final long maxBodySize;

    public PubSubResource(ConfirmedPublisher publisher, TopologyConfig topology, ProducerConfig config) {
        this.publisher = publisher;
        this.topology = topology;
        this.maxBodySize = config.maxBodySize().asLongValue();
    }

    @POST
    @Path("broadcast")
    @Operation(summary = "Send to every subscriber (fanout exchange)")
    @APIResponse(responseCode = "202", description = "Confirmed by the broker; routed=false when nobody listens")
    @APIResponse(responseCode = "503", description = "Not confirmed",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<Published>> broadcast(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            byte[] body) {
        return publish(PublishTarget.BROADCAST, topology.fanoutExchange(), "", contentType, body);
    }

    @POST
    @Path("logs/{severity}")
    @Operation(summary = "Send with a severity (direct exchange, routing key = severity)")
    @APIResponse(responseCode = "202", description = "Confirmed by the broker; routed=false when no queue is bound for the key")
    @APIResponse(responseCode = "400", description = "Empty body or invalid key",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<Published>> log(@PathParam("severity") String severity,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        return publish(PublishTarget.DIRECT, topology.directExchange(), RoutingKeys.validate(severity), contentType, body);
    }

    @POST
    @Path("logs")
    @Operation(summary = "Always 400: the severity is missing")
    public Response logWithoutSeverity() {
        throw new InvalidInput("the routing key (severity) is empty: POST /logs/{severity}");
    }

    @POST
    @Path("events/{routingKey}")
    @Operation(summary = "Send with a routing key (topic exchange), e.g. kern.critical")
    @APIResponse(responseCode = "202", description = "Confirmed by the broker; routed=false when no binding matched")
    @APIResponse(responseCode = "400", description = "Empty body or invalid key (empty, over 255 bytes, '*' or '#')",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<Published>> event(@PathParam("routingKey") String routingKey,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        return publish(PublishTarget.TOPIC, topology.topicExchange(), RoutingKeys.validate(routingKey), contentType, body);
    }

    @POST
    @Path("events")
    @Operation(summary = "Always 400: the routing key is missing")
    public Response eventWithoutKey() {
        throw new InvalidInput("the routing key is empty: POST /events/{routingKey}");
    }

    private Uni<RestResponse<Published>> publish(PublishTarget target, String exchange, String routingKey,
            String contentTypeHeader, byte[] received) {
        String contentType = ContentTypes.publishable(contentTypeHeader);
        byte[] body = MessageBodies.requireNotEmpty(MessageBodies.requireWithinLimit(received, maxBodySize));
        return Uni.createFrom()
                .completionStage(publisher.publish(target, exchange, routingKey, contentType, body))
                .map(outcome -> RestResponse.status(Response.Status.ACCEPTED,
                        new Published(outcome.messageId(), outcome.routed())));
    }
}
