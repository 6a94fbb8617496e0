package dev.rabbitworks.worker.messaging;

import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rabbitworks.worker.config.WorkerConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;

/**
 * Publishes task events through the "task-events" channel (publish confirms on) and waits, bounded, for the
 * broker's confirm (or lets the caller go on while it waits: {@link #publishInBackground}). An event that cannot
 * be published is logged and dropped: the task itself is done, and holding its ack back for an event would redo
 * the work.
 */
@ApplicationScoped
public class TaskEventPublisher {

    static final String CHANNEL = "task-events";
    private static final Logger LOG = Logger.getLogger(TaskEventPublisher.class);
    private static final int PERSISTENT = 2;

    private final MutinyEmitter<byte[]> emitter;
    private final ObjectMapper json;
    private final Duration timeout;

    public TaskEventPublisher(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter, ObjectMapper json, WorkerConfig config) {
        this.emitter = emitter;
        this.json = json;
        this.timeout = config.eventTimeout();
    }

    /**
     * Publishes the event now and tracks its confirm on its own (bounded by worker.event-timeout, logged when it
     * does not come): the caller goes on at once.
     */
    public void publishInBackground(TaskEvent event) {
        publish(event).subscribe().with(ignored -> {
        });
    }

    /** Completes when the broker confirmed the event, or when it was given up on (never fails). */
    public Uni<Void> publish(TaskEvent event) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            LOG.errorf(e, "task event for task %s not published: cannot serialize it", event.taskId());
            return Uni.createFrom().voidItem();
        }
        OutgoingRabbitMQMetadata metadata = OutgoingRabbitMQMetadata.builder()
                .withRoutingKey(event.routingKey())
                .withContentType("application/json")
                .withDeliveryMode(PERSISTENT)
                .withMessageId(UUID.randomUUID().toString())
                .build();
        return emitter.sendMessage(Message.of(body, Metadata.of(metadata)))
                .ifNoItem().after(timeout).fail()
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("task event %s for task %s not confirmed by the broker (%s); the task is settled anyway",
                            event.routingKey(), event.taskId(), failure.toString());
                    return null;
                });
    }
}
