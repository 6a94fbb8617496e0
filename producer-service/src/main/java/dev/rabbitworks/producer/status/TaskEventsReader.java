package dev.rabbitworks.producer.status;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;

import dev.rabbitworks.broker.BrokerConnected;
import dev.rabbitworks.broker.BrokerConnection;
import dev.rabbitworks.broker.MessagingContract;
import dev.rabbitworks.broker.TopologyConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Reads the task events stream from the start of its retention, then live, into the {@link TaskStatusIndex}: every
 * replica holds every task. A stream consumer needs a prefetch and acks (they give credit, they remove nothing). An
 * event that cannot be read is counted and skipped. After a connection loss the client's recovery consumes again
 * from the start; applying an event twice changes nothing.
 * <p>
 * Knowing when the replay is over: once consuming, the reader appends a marker of its own to the stream (through
 * the default exchange, so no subscriber of the topic exchange sees it); when the marker comes back, every event
 * that was in the stream before it has been applied and the index is loaded. Until then the replica answers 503
 * for a status and for a submit with an Idempotency-Key, rather than a wrong 404 or a second task. The marker goes
 * out again every reconnect interval until it is read (a publish on a channel that closed is lost). Every reader
 * skips every marker.
 * <p>
 * A replica's own {@code task.accepted} messages carry its id ({@link #REPLICA_HEADER}): it applied them to its index
 * when it accepted the tasks, so it skips them unread (reading them back was a fifth of the producer's CPU per task,
 * docs/performance.md). A restarted replica has a new id and reads them all.
 */
@ApplicationScoped
public class TaskEventsReader {

    private static final Logger LOG = Logger.getLogger(TaskEventsReader.class);
    /** Events delivered ahead of the acks: enough to replay fast, little memory. */
    private static final int PREFETCH = 500;
    /**
     * Acks go out once per this many events (multiple=true): on a stream an ack only gives credit back, and one per
     * event cost a frame each way (PerfTest's stream consumer: about 7 µs of broker CPU per message less with
     * multiple acks; docs/performance.md). Far below the prefetch, so the broker never runs out of credit for us.
     */
    private static final int ACK_EVERY = 100;
    /** The header of a marker message; its value is the id of the replica that wrote it. */
    static final String MARKER_HEADER = "x-task-events-marker";
    /** The header naming the replica that published a task.accepted message. */
    static final String REPLICA_HEADER = "x-task-events-replica";

    private final BrokerConnection broker;
    private final TopologyConfig topology;
    private final TaskStatusIndex index;
    private final Counter applied;
    private final Counter skipped;
    /** This replica's id, in its markers and its task.accepted messages; new at every start. */
    private final String replicaId = UUID.randomUUID().toString();
    private volatile Channel channel;
    private volatile boolean consuming;

    public TaskEventsReader(BrokerConnection broker, TopologyConfig topology, TaskStatusIndex index,
            MeterRegistry registry) {
        this.broker = broker;
        this.topology = topology;
        this.index = index;
        this.applied = Counter.builder("producer.task.events").tag("result", "applied")
                .description("Task lifecycle events read from the stream").register(registry);
        this.skipped = Counter.builder("producer.task.events").tag("result", "skipped")
                .description("Task lifecycle events read from the stream").register(registry);
    }

    void onConnected(@Observes BrokerConnected event) {
        consume(event.connection());
        broker.every(broker.reconnectInterval(), this::markEndIfLoading);
    }

    /** The headers that mark a message as this replica's own: its reader skips it. */
    public Map<String, Object> ownMessageHeaders() {
        return Map.of(REPLICA_HEADER, replicaId);
    }

    /** Whether the stream is being read now. */
    public boolean isConsuming() {
        Channel current = channel;
        return consuming && current != null && current.isOpen();
    }

    private void consume(Connection connection) {
        Channel opened = null;
        try {
            opened = connection.createChannel();
            MessagingContract.declareTaskEventsStream(opened, topology);
            opened.basicQos(PREFETCH);
            channel = opened;
            opened.basicConsume(topology.taskEventsStream(), false, Map.of("x-stream-offset", "first"),
                    new Events(opened));
            LOG.infof("reading task events from %s", topology.taskEventsStream());
            markEndIfLoading();
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot read the task events stream %s yet (%s); retrying", topology.taskEventsStream(),
                    e.toString());
            if (opened != null && opened.isOpen()) {
                try {
                    opened.abort();
                } catch (IOException | RuntimeException ignored) {
                    // closing what failed
                }
            }
            broker.runLater(() -> consume(connection));
        }
    }

    /** Appends this replica's marker to the stream while the index is not loaded. */
    private void markEndIfLoading() {
        Channel current = channel;
        if (index.isLoaded() || current == null || !current.isOpen()) {
            return;
        }
        AMQP.BasicProperties marker = new AMQP.BasicProperties.Builder()
                .headers(Map.of(MARKER_HEADER, replicaId)).build();
        try {
            current.basicPublish("", topology.taskEventsStream(), marker, new byte[0]);
        } catch (IOException | RuntimeException e) {
            LOG.debugf("could not append the replay marker (%s); trying again", e);
        }
    }

    private void onMarker(Object replica) {
        if (replicaId.equals(String.valueOf(replica)) && !index.isLoaded()) {
            index.markLoaded();
            LOG.infof("task events read up to the end of %s: statuses and idempotency keys are complete",
                    topology.taskEventsStream());
        }
    }

    private final class Events extends DefaultConsumer {

        /** Deliveries since the last ack. */
        private int unacked;

        Events(Channel channel) {
            super(channel);
        }

        @Override
        public void handleConsumeOk(String consumerTag) {
            consuming = true;
        }

        @Override
        public void handleCancel(String consumerTag) {
            consuming = false;
            LOG.warnf("the broker cancelled the task events consumer (stream deleted?); consuming again");
            broker.runLater(() -> broker.connection().ifPresent(TaskEventsReader.this::consume));
        }

        @Override
        public void handleShutdownSignal(String consumerTag, ShutdownSignalException cause) {
            consuming = false;
        }

        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                byte[] body) throws IOException {
            Map<String, Object> headers = properties.getHeaders();
            if (headers != null && headers.containsKey(MARKER_HEADER)) {
                onMarker(headers.get(MARKER_HEADER));
                acknowledge(envelope);
                return;
            }
            if (headers != null && replicaId.equals(String.valueOf(headers.get(REPLICA_HEADER)))) {
                acknowledge(envelope); // applied when accepted
                return;
            }
            try {
                LifecycleEvent.Read read = LifecycleEvent.readAll(body);
                read.events().forEach(index::apply);
                applied.increment(read.events().size());
                if (!read.unreadable().isEmpty()) {
                    skipped.increment(read.unreadable().size());
                    LOG.debugf("skipped %d task events that cannot be read: %s", read.unreadable().size(),
                            read.unreadable().get(0));
                }
            } catch (RuntimeException e) {
                skipped.increment();
                LOG.debugf("skipped a task event that cannot be applied: %s", e.getMessage());
            }
            acknowledge(envelope);
        }

        /** Every {@link #ACK_EVERY}th delivery acks all before it; called on this channel's one dispatch thread. */
        private void acknowledge(Envelope envelope) throws IOException {
            if (++unacked >= ACK_EVERY) {
                unacked = 0;
                getChannel().basicAck(envelope.getDeliveryTag(), true);
            }
        }
    }
}
