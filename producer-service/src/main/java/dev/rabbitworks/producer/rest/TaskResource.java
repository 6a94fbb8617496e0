package dev.rabbitworks.producer.rest;

import java.io.InputStream;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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
import dev.rabbitworks.producer.config.TopologyConfig;
import dev.rabbitworks.producer.messaging.ConfirmedPublisher;
import dev.rabbitworks.producer.messaging.PublishFailure;
import dev.rabbitworks.producer.messaging.PublishTarget;
import dev.rabbitworks.producer.validation.ContentTypes;
import dev.rabbitworks.producer.validation.MessageBodies;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/** POST /tasks: a task for the work queue, accepted only once the broker confirmed it into the queue. */
@Path("/tasks")
@Tag(name = "tasks", description = "Work queue")
public class TaskResource {

    private final ConfirmedPublisher publisher;
    private final TopologyConfig topology;
    private final long maxBodySize;

    public TaskResource(ConfirmedPublisher publisher, TopologyConfig topology, ProducerConfig config) {
        this.publisher = publisher;
        this.topology = topology;
        this.maxBodySize = config.maxBodySize().asLongValue();
    }

    @POST
    @Consumes({ MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON })
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking // the publish writes to the broker's socket: not on the event loop
    @Operation(summary = "Queue a task (one unit of work per '.' in the body)")
    @APIResponse(responseCode = "202", description = "Confirmed by the broker into the work queue")
    @APIResponse(responseCode = "400", description = "Empty body, text that is not UTF-8 or malformed JSON",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body over producer.max-body-size",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "Neither text/plain nor application/json",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Not confirmed: broker unreachable, nack, timeout or unroutable",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<TaskAccepted>> submit(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            InputStream stream) {
        String type = ContentTypes.forTask(contentType);
        byte[] body = MessageBodies.read(stream, maxBodySize);
        MessageBodies.requireValidTask(body, type);
        return Uni.createFrom()
                .completionStage(publisher.publish(PublishTarget.TASK, "", topology.taskQueue(), type, body))
                .map(outcome -> {
                    if (!outcome.routed()) {
                        throw new PublishFailure(PublishFailure.Reason.UNROUTABLE,
                                "the broker returned the task: queue '" + topology.taskQueue() + "' does not exist");
                    }
                    return RestResponse.status(Response.Status.ACCEPTED, new TaskAccepted(outcome.messageId()));
                });
    }
}
