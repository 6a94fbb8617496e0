package dev.rabbitworks.producer.rest;

import java.util.List;

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
import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.producer.messaging.ConfirmedPublisher;
import dev.rabbitworks.broker.PublishFailure;
import dev.rabbitworks.producer.messaging.PublishOutcome;
import dev.rabbitworks.producer.messaging.PublishTarget;
import dev.rabbitworks.producer.validation.ContentTypes;
import dev.rabbitworks.producer.validation.MessageBodies;
import dev.rabbitworks.producer.validation.TaskBatches;
import io.smallrye.mutiny.Uni;

/**
 * POST /tasks: a task for the work queue, accepted only once the broker confirmed it into the queue;
 * POST /tasks/batch: several at once, accepted only once every one of them is.
 */
@Path("/tasks")
@Tag(name = "tasks", description = "Work queue")
public class TaskResource {

    private final ConfirmedPublisher publisher;
    private final TopologyConfig topology;
    private final long maxBodySize;
    private final int maxBatchSize;

    public TaskResource(ConfirmedPublisher publisher, TopologyConfig topology, ProducerConfig config) {
        this.publisher = publisher;
        this.topology = topology;
        this.maxBodySize = config.maxBodySize().asLongValue();
        this.maxBatchSize = config.maxBatchSize();
    }

    @POST
    @Consumes({ MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON })
    @Produces(MediaType.APPLICATION_JSON)
    // Not @Blocking: Quarkus has read the body by now, validating it is quick, the publish only writes to the
    // broker's socket (refused at once while the broker blocks publishing) and the confirm completes back on
    // this event loop. No worker thread is involved (docs/performance.md).
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
            byte[] body) {
        String type = ContentTypes.forTask(contentType);
        MessageBodies.requireWithinLimit(body, maxBodySize);
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

    @POST
    @Path("batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Queue several tasks at once: a JSON array, a string per text task, any other JSON value"
            + " per JSON task; one confirm wait for the whole batch")
    @APIResponse(responseCode = "202", description = "Every task of the batch was confirmed by the broker into the"
            + " work queue; the ids in the batch's order")
    @APIResponse(responseCode = "400", description = "Not one JSON array, an empty array or task, more than"
            + " producer.max-batch-size tasks, or not UTF-8; nothing was published",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body over producer.max-body-size",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Not every task was confirmed (the detail says how many were):"
            + " broker unreachable, nack, timeout or unroutable",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<TasksAccepted>> submitBatch(byte[] body) {
        MessageBodies.requireWithinLimit(body, maxBodySize);
        List<ConfirmedPublisher.Body> tasks = TaskBatches.parse(body, maxBatchSize).stream()
                .map(task -> new ConfirmedPublisher.Body(task.contentType(), task.body()))
                .toList();
        return Uni.createFrom()
                .completionStage(publisher.publishBatch(PublishTarget.TASK, "", topology.taskQueue(), tasks))
                .map(outcomes -> {
                    long returned = outcomes.stream().filter(outcome -> !outcome.routed()).count();
                    if (returned > 0) {
                        throw new PublishFailure(PublishFailure.Reason.UNROUTABLE, "the broker returned " + returned
                                + " of " + outcomes.size() + " tasks: queue '" + topology.taskQueue()
                                + "' does not exist");
                    }
                    return RestResponse.status(Response.Status.ACCEPTED,
                            new TasksAccepted(outcomes.stream().map(PublishOutcome::messageId).toList()));
                });
    }
}
