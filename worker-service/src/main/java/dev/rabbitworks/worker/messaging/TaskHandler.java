package dev.rabbitworks.worker.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.rabbitworks.broker.Delivery;
import dev.rabbitworks.worker.config.WorkerIdentity;
import dev.rabbitworks.worker.lifecycle.InFlightTasks;
import dev.rabbitworks.worker.metrics.TaskMetrics;
import dev.rabbitworks.worker.work.TaskDelivery;
import dev.rabbitworks.worker.work.TaskProcessor;
import io.smallrye.mutiny.Uni;

/**
 * Handles one delivery of the work queue, from {@link TaskQueueConsumer}: reports the task started, does the work,
 * then lets {@link TaskSettlement} ack, retry, dead-letter or requeue it and report the end.
 * <p>
 * The returned Uni completes once the task is settled. The work itself is a timer and the confirms are awaited
 * without a thread, so no thread is blocked while a task is in progress; the broker's prefetch, not threads, bounds
 * the tasks in progress.
 */
@ApplicationScoped
public class TaskHandler {

    private static final Logger LOG = Logger.getLogger(TaskHandler.class);

    private final TaskProcessor processor;
    private final TaskEventPublisher events;
    private final TaskSettlement settlement;
    private final InFlightTasks inFlight;
    private final TaskMetrics metrics;
    private final String worker;

    public TaskHandler(TaskProcessor processor, TaskEventPublisher events, TaskSettlement settlement,
            InFlightTasks inFlight, TaskMetrics metrics, WorkerIdentity identity) {
        this.processor = processor;
        this.events = events;
        this.settlement = settlement;
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.worker = identity.instanceName();
    }

    /** Completes once the delivery is settled (or left to the broker); never fails. */
    public Uni<Void> handle(Delivery message) {
        TaskDelivery delivery;
        try {
            delivery = TaskDeliveries.read(message);
        } catch (RuntimeException unreadable) {
            // Such a message can never be done: dead-letter it.
            LOG.errorf(unreadable, "unreadable task message dead-lettered");
            TaskSettlement.settleNow(() -> message.reject(false));
            return Uni.createFrom().voidItem();
        }
        if (!message.canSettle()) {
            LOG.infof("task id=%s attempt=%d skipped: its channel closed before it started; the broker redelivers it",
                    delivery.taskId(), delivery.attempt());
            return Uni.createFrom().voidItem();
        }
        if (!inFlight.tryStart()) {
            LOG.infof("task id=%s attempt=%d not started: shutting down; it goes back to the queue",
                    delivery.taskId(), delivery.attempt());
            return Uni.createFrom().voidItem();
        }
        // Best effort, never waited for: a lost started event leaves the status at the previous one until the end.
        events.publish(TaskEvent.started(delivery, worker, System.currentTimeMillis()));
        return processor.process(delivery)
                .invoke(metrics::record)
                .call(result -> settlement.settle(message, result))
                .onTermination().invoke(inFlight::finish)
                .replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    // Never let one task end the stream: the delivery stays unacked and is redelivered.
                    LOG.errorf(failure, "task id=%s attempt=%d could not be handled", delivery.taskId(),
                            delivery.attempt());
                    return null;
                });
    }
}
