package dev.rabbitworks.worker.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import dev.rabbitworks.worker.config.WorkerIdentity;
import dev.rabbitworks.worker.lifecycle.InFlightTasks;
import dev.rabbitworks.worker.metrics.TaskMetrics;
import dev.rabbitworks.worker.work.RetryPolicy;
import dev.rabbitworks.worker.work.Settlement;
import dev.rabbitworks.worker.work.TaskDelivery;
import dev.rabbitworks.worker.work.TaskProcessor;
import dev.rabbitworks.worker.work.TaskResult;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMessage;
import io.smallrye.reactive.messaging.rabbitmq.RabbitMQRejectMetadata;

/**
 * The tutorial's Worker: takes tasks from the work queue one at a time (the broker sends the next one only after
 * the ack, prefetch = worker.prefetch), does the work, publishes the task event (without waiting for its
 * confirm), then settles the delivery:
 * ack when done; when an attempt failed, publish the task to its retry queue (or, after the last attempt or at once
 * when it can never be done, to the dead letters) with a publisher confirm, and ack only then (see
 * {@link RetryPolicy}, {@link FailedTaskPublisher}). If that publish is not confirmed, the task is requeued instead:
 * never acked unless it is safely somewhere else.
 * <p>
 * The returned Uni completes only once the task is settled, and the connector hands this method the next message
 * only then; the work itself is a timer, so no thread is blocked while a task is in progress.
 */
@ApplicationScoped
public class TaskConsumer {

    static final String CHANNEL = "tasks";
    private static final Logger LOG = Logger.getLogger(TaskConsumer.class);

    private final TaskProcessor processor;
    private final TaskEventPublisher events;
    private final TaskConsumerChannels consumerChannels;
    private final InFlightTasks inFlight;
    private final TaskMetrics metrics;
    private final RetryPolicy retryPolicy;
    private final FailedTaskPublisher failedTasks;
    private final String worker;

    public TaskConsumer(TaskProcessor processor, TaskEventPublisher events, TaskConsumerChannels consumerChannels,
            InFlightTasks inFlight, TaskMetrics metrics, RetryPolicy retryPolicy, FailedTaskPublisher failedTasks,
            WorkerIdentity identity) {
        this.processor = processor;
        this.retryPolicy = retryPolicy;
        this.failedTasks = failedTasks;
        this.events = events;
        this.consumerChannels = consumerChannels;
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.worker = identity.instanceName();
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(Message<?> message) {
        String consumerTag = TaskDeliveries.consumerTag(message);
        TaskDelivery delivery;
        try {
            delivery = TaskDeliveries.read(message);
        } catch (RuntimeException unreadable) {
            // Throwing here would end the channel's stream; such a message can never be done: dead-letter it.
            LOG.errorf(unreadable, "unreadable task message dead-lettered");
            return Uni.createFrom().completionStage(() -> message.nack(unreadable,
                    Metadata.of(new RabbitMQRejectMetadata(false))));
        }
        if (!consumerChannels.canSettle(consumerTag)) {
            LOG.infof("task id=%s attempt=%d skipped: its channel closed before it started; the broker redelivers it",
                    delivery.taskId(), delivery.attempt());
            return Uni.createFrom().voidItem();
        }
        if (!inFlight.tryStart()) {
            LOG.infof("task id=%s attempt=%d not started: shutting down; it goes back to the queue",
                    delivery.taskId(), delivery.attempt());
            return Uni.createFrom().voidItem();
        }
        return processor.process(delivery)
                .invoke(metrics::record)
                // The event is written before the settlement, but its confirm does not hold the ack (and so the
                // next delivery) back: it is informational, tracked and logged by the publisher on its own.
                .invoke(result -> events.publishInBackground(TaskEvent.of(result, worker)))
                .call(result -> settle(message, consumerTag, result))
                .onTermination().invoke(inFlight::finish)
                .replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    // Never let one task end the stream: the delivery stays unacked and is redelivered.
                    LOG.errorf(failure, "task id=%s attempt=%d could not be handled", delivery.taskId(),
                            delivery.attempt());
                    return null;
                });
    }

    private Uni<Void> settle(Message<?> message, String consumerTag, TaskResult result) {
        Settlement settlement = retryPolicy.settlementFor(result);
        if (!consumerChannels.canSettle(consumerTag)) {
            logTask(result, "left to the broker (connection lost while in progress; it will be redelivered)");
            return Uni.createFrom().voidItem();
        }
        return switch (settlement) {
            case ACK -> {
                logTask(result, "ack");
                yield Uni.createFrom().completionStage(message::ack);
            }
            case RETRY -> sendOn(message, result, "retry-" + retryPolicy.retryLevel(result.delivery()) + " in "
                    + retryPolicy.delayAfter(result.delivery()).toMillis() + "ms",
                    original -> failedTasks.retry(original, result.delivery().body(), result.delivery().attempt() + 1,
                            retryPolicy.retryLevel(result.delivery()), retryPolicy.delayAfter(result.delivery()),
                            result.error()));
            case DEAD_LETTER -> sendOn(message, result, "dead-letter",
                    original -> failedTasks.deadLetter(original, result.delivery().body(),
                            result.delivery().attempt(), result.error()));
        };
    }

    /**
     * Publishes the failed task on (blocking, on a worker thread) and acks it once the broker confirmed; if that
     * fails, requeues it: the task stays in the work queue rather than being lost.
     */
    private Uni<Void> sendOn(Message<?> message, TaskResult result, String settlement, Send send) {
        if (!(message instanceof IncomingRabbitMQMessage<?> incoming)) {
            logTask(result, "requeue (not a RabbitMQ delivery)");
            return nack(message, result, true);
        }
        com.rabbitmq.client.BasicProperties original = incoming.getRabbitMQMessage().properties();
        return Uni.createFrom().item(() -> {
            try {
                send.to(original);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warnf("task id=%s: interrupted while sending it on (%s)", result.delivery().taskId(), settlement);
                return false;
            } catch (Exception e) {
                LOG.warnf("task id=%s: could not send it on (%s): %s", result.delivery().taskId(), settlement,
                        e.toString());
                return false;
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(sent -> {
                    if (sent) {
                        logTask(result, settlement);
                        return Uni.createFrom().completionStage(message::ack);
                    }
                    logTask(result, "requeue (" + settlement + " not confirmed)");
                    return nack(message, result, true);
                });
    }

    @FunctionalInterface
    private interface Send {
        void to(com.rabbitmq.client.BasicProperties original) throws Exception;
    }

    private static Uni<Void> nack(Message<?> message, TaskResult result, boolean requeue) {
        return Uni.createFrom().completionStage(() -> message.nack(new TaskFailedException(result.error()),
                Metadata.of(new RabbitMQRejectMetadata(requeue))));
    }

    private static void logTask(TaskResult result, String settlement) {
        TaskDelivery delivery = result.delivery();
        if (result.error() == null) {
            LOG.infof("task id=%s attempt=%d outcome=%s durationMs=%d settled=%s", delivery.taskId(),
                    delivery.attempt(), result.outcome().label(), result.duration().toMillis(), settlement);
        } else {
            LOG.infof("task id=%s attempt=%d outcome=%s durationMs=%d settled=%s error=\"%s\"", delivery.taskId(),
                    delivery.attempt(), result.outcome().label(), result.duration().toMillis(), settlement,
                    result.error());
        }
    }

    /** The reason attached to a nack; a task failure is an expected result, so no stack trace is kept. */
    static final class TaskFailedException extends RuntimeException {
        TaskFailedException(String message) {
            super(message, null, false, false);
        }
    }
}
