package dev.rabbitworks.producer.status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.producer.messaging.ConfirmedPublisher;
import dev.rabbitworks.producer.messaging.PublishOutcome;
import dev.rabbitworks.producer.messaging.PublishTarget;

/**
 * Tells the other replicas (and anyone listening) that tasks were accepted: {@code task.accepted} on the topic
 * exchange, kept by the stream, with the client's Idempotency-Key when it sent one. Recorded in this replica's index
 * at once, so a GET right after the 202 answers (and this replica's reader skips them); published without holding
 * the 202 back. Should it be lost, the worker's events still make the task known everywhere, only its key is then
 * known to this replica alone.
 * <p>
 * One message carries the events of several tasks (a JSON array), as a group commit: while one task.accepted is
 * being confirmed, the events of the tasks accepted meanwhile wait, and go out together as the next one. The broker's
 * cost is per message delivered from the stream, to every replica's reader, far more than per byte
 * (docs/performance.md, "task.accepted as a group commit"); when tasks come one at a time, each still goes out at once.
 */
@ApplicationScoped
public class AcceptedEvents {

    static final String ROUTING_KEY = "task.accepted";
    /** Most events in one message: about 100 bytes each without a key, 400 with the longest key. */
    static final int MAX_PER_MESSAGE = 256;
    /**
     * Most events waiting while the stream does not confirm (its leader away, say): beyond, the oldest are dropped,
     * as a lost event would be. Bounds the memory to a few MiB; the tasks themselves are safe in the work queue.
     */
    static final int MAX_WAITING = 10_000;
    private static final Logger LOG = Logger.getLogger(AcceptedEvents.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final ConfirmedPublisher publisher;
    private final TaskStatusIndex index;
    private final Map<String, Object> headers;
    private final String exchange;
    /** Guards {@link #waiting} and {@link #publishing}. */
    private final Object lock = new Object();
    private final ArrayDeque<LifecycleEvent> waiting = new ArrayDeque<>();
    /** Whether a task.accepted message is out and not yet confirmed. */
    private boolean publishing;

    public AcceptedEvents(ConfirmedPublisher publisher, TaskStatusIndex index, TaskEventsReader reader,
            TopologyConfig topology) {
        this.publisher = publisher;
        this.index = index;
        this.headers = reader.ownMessageHeaders();
        this.exchange = topology.topicExchange();
    }

    /** {@code idempotencyKey} and {@code bodySha256} may be null (no key sent). */
    public void accepted(String taskId, String idempotencyKey, String bodySha256) {
        record(List.of(event(taskId, idempotencyKey, bodySha256)));
    }

    /** The tasks of one batch, accepted without a key. */
    public void accepted(List<String> taskIds) {
        List<LifecycleEvent> events = new ArrayList<>(taskIds.size());
        taskIds.forEach(taskId -> events.add(event(taskId, null, null)));
        record(events);
    }

    private static LifecycleEvent event(String taskId, String idempotencyKey, String bodySha256) {
        return new LifecycleEvent(taskId, TaskState.ACCEPTED, 0, null, Instant.now().truncatedTo(ChronoUnit.MILLIS),
                null, idempotencyKey, bodySha256);
    }

    private void record(List<LifecycleEvent> events) {
        events.forEach(index::apply);
        int dropped = 0;
        synchronized (lock) {
            waiting.addAll(events);
            while (waiting.size() > MAX_WAITING) {
                waiting.removeFirst();
                dropped++;
            }
            if (publishing) {
                events = null;
            } else {
                publishing = true;
            }
        }
        if (dropped > 0) {
            LOG.warnf("%d task.accepted events dropped: the stream has not confirmed for a while; other replicas learn"
                    + " of those tasks from the worker's events", dropped);
        }
        if (events != null) {
            publishNext();
        }
    }

    /** Publishes what waits, then again once that is confirmed, until nothing waits. */
    private void publishNext() {
        List<LifecycleEvent> next = new ArrayList<>();
        synchronized (lock) {
            while (next.size() < MAX_PER_MESSAGE && !waiting.isEmpty()) {
                next.add(waiting.removeFirst());
            }
            if (next.isEmpty()) {
                publishing = false;
                return;
            }
        }
        CompletionStage<PublishOutcome> sent;
        try {
            sent = publisher.publish(PublishTarget.EVENT, exchange, ROUTING_KEY, "application/json", headers,
                    toJson(next));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e); // never left publishing for ever
        }
        sent.whenComplete((outcome, failure) -> {
            if (failure != null) {
                LOG.warnf("task.accepted for %d tasks (%s first) not confirmed (%s): other replicas learn of them"
                        + " from the worker's events", next.size(), next.get(0).taskId(), failure.getMessage());
            }
            publishNext();
        });
    }

    /** The body of one task.accepted message: a JSON array of events. */
    static byte[] toJson(List<LifecycleEvent> events) {
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(100 * events.size());
                JsonGenerator out = JSON.createGenerator(bytes)) {
            out.writeStartArray();
            for (LifecycleEvent event : events) {
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
            }
            out.writeEndArray();
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write task events", e);
        }
    }
}
