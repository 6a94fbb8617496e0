package dev.rabbitworks.producer.rest;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
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
import dev.rabbitworks.producer.status.AcceptedEvents;
import dev.rabbitworks.producer.status.IdempotentSubmissions;
import dev.rabbitworks.producer.status.TaskStatus;
import dev.rabbitworks.producer.status.TaskStatusIndex;
import dev.rabbitworks.producer.validation.ContentTypes;
import dev.rabbitworks.producer.validation.IdempotencyKeys;
import dev.rabbitworks.producer.validation.StatusQueries;
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

    /** The request header that makes a submit idempotent (IETF httpapi idempotency-key draft). */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Set on an answer that replays an earlier request with the same key. */
    public static final String REPLAYED = "Idempotent-Replayed";

    private final ConfirmedPublisher publisher;
    private final TopologyConfig topology;
    private final AcceptedEvents accepted;
    private final IdempotentSubmissions submissions;
    private final TaskStatusIndex statuses;
    private final long maxBodySize;
    private final int maxBatchSize;
    private final Duration maxWait;

    public TaskResource(ConfirmedPublisher publisher, TopologyConfig topology, ProducerConfig config,
            AcceptedEvents accepted, IdempotentSubmissions submissions, TaskStatusIndex statuses) {
        this.publisher = publisher;
        this.topology = topology;
        this.accepted = accepted;
        this.submissions = submissions;
        this.statuses = statuses;
        this.maxBodySize = config.maxBodySize().asLongValue();
        this.maxBatchSize = config.maxBatchSize();
        this.maxWait = config.statusMaxWait();
    }

    @POST
    @Consumes({ MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON })
    @Produces(MediaType.APPLICATION_JSON)
    // Not @Blocking: Quarkus has read the body by now, validating it is quick, the publish only writes to the
    // broker's socket (refused at once while the broker blocks publishing) and the confirm completes back on
    // this event loop. No worker thread is involved (docs/performance.md).
    @Operation(summary = "Queue a task (one unit of work per '.' in the body); with an Idempotency-Key, the same"
            + " request again answers the first one's id and status and publishes nothing")
    @APIResponse(responseCode = "202", description = "Confirmed by the broker into the work queue (or, with header"
            + " Idempotent-Replayed: true, an earlier request with the same Idempotency-Key was)")
    @APIResponse(responseCode = "400", description = "Empty body, text that is not UTF-8, malformed JSON, or an"
            + " Idempotency-Key that is empty, over 255 bytes or not visible ASCII",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body over producer.max-body-size",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "Neither text/plain nor application/json",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used for another request",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Not confirmed: broker unreachable, nack, timeout or unroutable",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<TaskAccepted>> submit(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @Context HttpHeaders headers, byte[] body) {
        String type = ContentTypes.forTask(contentType);
        MessageBodies.requireWithinLimit(body, maxBodySize);
        MessageBodies.requireValidTask(body, type);
        // Read from the headers rather than as a @HeaderParam, which turns an empty value into "absent".
        List<String> keyHeader = headers.getRequestHeader(IDEMPOTENCY_KEY);
        String key = IdempotencyKeys.validate(keyHeader == null || keyHeader.isEmpty() ? null : keyHeader.get(0));
        if (key == null) {
            return Uni.createFrom().completionStage(publishTask(type, body, null, null))
                    .map(id -> RestResponse.status(Response.Status.ACCEPTED, new TaskAccepted(id)));
        }
        String fingerprint = IdempotencyKeys.fingerprint(type, body);
        return Uni.createFrom()
                .completionStage(() -> submissions.submit(key, fingerprint,
                        () -> publishTask(type, body, key, fingerprint)))
                .map(submission -> submission.replayed()
                        ? RestResponse.ResponseBuilder.create(Response.Status.ACCEPTED,
                                new TaskAccepted(submission.taskId(), statuses.status(submission.taskId())
                                        .orElse(null)))
                                .header(REPLAYED, "true").build()
                        : RestResponse.status(Response.Status.ACCEPTED, new TaskAccepted(submission.taskId())));
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Where a task is: accepted, started, failed, retrying, completed or dead, from its lifecycle"
            + " events; with ?wait=10s the answer waits until the task is completed or dead, or the wait is over")
    @APIResponse(responseCode = "200", description = "The task's status",
            content = @Content(schema = @Schema(implementation = TaskStatus.class)))
    @APIResponse(responseCode = "400", description = "Malformed id or wait",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such task: never seen, or older than the events kept",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "This replica started moments ago and is still reading the"
            + " task events (Retry-After: 1)",
            content = @Content(mediaType = Problems.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> status(@PathParam("id") String id, @QueryParam("wait") String wait) {
        String taskId = StatusQueries.taskId(id);
        Duration waitFor = StatusQueries.waitFor(wait, maxWait);
        statuses.requireLoaded();
        Uni<Void> ready = waitFor.isZero() ? Uni.createFrom().voidItem()
                : Uni.createFrom().completionStage(() -> statuses.awaitFinal(taskId, waitFor));
        return ready.map(done -> statuses.status(taskId)
                .map(status -> Response.ok(status).build())
                .orElseGet(() -> Problems.of(404, "unknown-task", "No such task",
                        "no task " + taskId + " is known: never accepted, or older than the events kept")));
    }

    /** Publishes the task; completes with its id once the broker confirmed it into the work queue. */
    private CompletionStage<String> publishTask(String type, byte[] body, String key, String fingerprint) {
        return publisher.publish(PublishTarget.TASK, "", topology.taskQueue(), type, body)
                .thenApply(outcome -> {
                    if (!outcome.routed()) {
                        throw new PublishFailure(PublishFailure.Reason.UNROUTABLE,
                                "the broker returned the task: queue '" + topology.taskQueue() + "' does not exist");
                    }
                    accepted.accepted(outcome.messageId(), key, fingerprint);
                    return outcome.messageId();
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
                    List<String> ids = outcomes.stream().map(PublishOutcome::messageId).toList();
                    accepted.accepted(ids);
                    return RestResponse.status(Response.Status.ACCEPTED, new TasksAccepted(ids));
                });
    }
}
