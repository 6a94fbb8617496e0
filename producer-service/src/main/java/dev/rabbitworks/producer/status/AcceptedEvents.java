package dev.rabbitworks.producer.status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.producer.messaging.ConfirmedPublisher;
import dev.rabbitworks.producer.messaging.PublishTarget;

/**
 * Tells the other replicas (and anyone listening) that a task was accepted: {@code task.accepted} on the topic
 * exchange, kept by the stream, with the client's Idempotency-Key when it sent one. Recorded in this replica's index
 * at once, so a GET right after the 202 answers; published without holding the 202 back. Should it be lost, the
 * worker's events still make the task known everywhere, only its key is then known to this replica alone.
 */
@ApplicationScoped
public class AcceptedEvents {

    static final String ROUTING_KEY = "task.accepted";
    private static final Logger LOG = Logger.getLogger(AcceptedEvents.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final ConfirmedPublisher publisher;
    private final TaskStatusIndex index;
    private final String exchange;

    public AcceptedEvents(ConfirmedPublisher publisher, TaskStatusIndex index, TopologyConfig topology) {
        this.publisher = publisher;
        this.index = index;
        this.exchange = topology.topicExchange();
    }

    /** {@code idempotencyKey} and {@code bodySha256} may be null (no key sent). */
    public void accepted(String taskId, String idempotencyKey, String bodySha256) {
        LifecycleEvent event = new LifecycleEvent(taskId, TaskState.ACCEPTED, 0, null,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), null,
                idempotencyKey, bodySha256);
        index.apply(event);
        publisher.publish(PublishTarget.EVENT, exchange, ROUTING_KEY, "application/json", toJson(event))
                .whenComplete((outcome, failure) -> {
                    if (failure != null) {
                        LOG.warnf("task.accepted for task %s not confirmed (%s): other replicas learn of the task"
                                + " from the worker's events", taskId, failure.getMessage());
                    }
                });
    }

    static byte[] toJson(LifecycleEvent event) {
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(200); JsonGenerator out = JSON.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("taskId", event.taskId());
            out.writeStringField("state", event.state().label());
            out.writeNumberField("attempt", event.attempt());
            out.writeStringField("timestamp", event.timestamp().toString());
            if (event.idempotencyKey() != null) {
                out.writeStringField("idempotencyKey", event.idempotencyKey());
                out.writeStringField("bodySha256", event.bodySha256());
            }
            out.writeEndObject();
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a task event", e);
        }
    }
}
