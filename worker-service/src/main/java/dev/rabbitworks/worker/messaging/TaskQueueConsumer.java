package dev.rabbitworks.worker.messaging;

import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.rabbitworks.broker.BrokerConnected;
import dev.rabbitworks.broker.BrokerConnection;
import dev.rabbitworks.broker.MessagingContract;
import dev.rabbitworks.broker.QueueConsumer;
import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.worker.config.EventDelivery;
import dev.rabbitworks.worker.config.WorkerConfig;
import dev.rabbitworks.worker.lifecycle.InFlightTasks;
import io.quarkus.runtime.ShutdownEvent;

/**
 * The tutorial's Worker consumer: declares the work queue exactly as the contract says (so tasks are kept whichever
 * service starts first), sets basic.qos(worker.prefetch), consumes with manual acks and hands every delivery to
 * {@link TaskHandler} at once, so up to prefetch tasks are in progress together. The consumer's life (recovery,
 * consuming again, channel lives) is broker-client's {@link QueueConsumer}.
 * <p>
 * With the confirmed event delivery (the default) it takes no task while the broker blocks publishers (a memory or
 * disk alarm): a task's final event could not go out, so it could not be acked. It cancels its consumer when the
 * broker says connection.blocked (the tasks in hand wait, unacked, see {@link TaskSettlement}) and consumes again
 * on connection.unblocked; the queued tasks stay in the queue meanwhile, and none is run in a loop.
 */
@ApplicationScoped
public class TaskQueueConsumer {

    private static final Logger LOG = Logger.getLogger(TaskQueueConsumer.class);

    private final QueueConsumer consumer;
    private final PublishGate gate;
    private final InFlightTasks inFlight;
    private final boolean pauseWhileBlocked;

    public TaskQueueConsumer(BrokerConnection broker, WorkerConfig config, TopologyConfig topology,
            TaskHandler handler, PublishGate gate, InFlightTasks inFlight) {
        this.consumer = new QueueConsumer(broker, topology.taskQueue(), config.prefetch(),
                channel -> MessagingContract.declareWorkQueue(channel, topology),
                delivery -> handler.handle(delivery).subscribe().with(ignored -> {
                }, failure -> LOG.errorf(failure, "a task delivery was not handled")));
        this.gate = gate;
        this.inFlight = inFlight;
        this.pauseWhileBlocked = config.eventDelivery() == EventDelivery.CONFIRMED;
    }

    /** After the publishers (lower priorities run first): a task taken can be sent on at once. */
    void onConnected(@Observes @Priority(100) BrokerConnected event) {
        if (pauseWhileBlocked) {
            gate.listen(new PublishGate.Listener() {
                @Override
                public void closed(String reason) {
                    LOG.warnf("the broker blocks publishers (%s): taking no task from %s until it unblocks; %d task(s)"
                            + " in hand wait unacked for their events (worker.event-delivery=confirmed)", reason,
                            consumer.queue(), inFlight.inProgress());
                    consumer.pause(reason);
                }

                @Override
                public void opened() {
                    consumer.resume();
                }
            });
        }
        consumer.start(event.connection());
    }

    /** First of the shutdown steps: no new deliveries; the tasks in hand finish (GracefulShutdown), then close. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        consumer.stop();
    }

    /** The consumer itself (its health, its life); this class adds the pauses during resource alarms. */
    public QueueConsumer queueConsumer() {
        return consumer;
    }

    /** Whether the broker delivers tasks to this worker right now. */
    public boolean isConsuming() {
        return consumer.isConsuming();
    }

    /** Why this worker takes no task for now (the broker blocks publishers), if so. */
    public Optional<String> pausedFor() {
        return consumer.pausedFor();
    }

    /** Whether its channel is open: consuming, or paused on purpose. */
    public boolean isConnected() {
        return consumer.isConnected();
    }
}
