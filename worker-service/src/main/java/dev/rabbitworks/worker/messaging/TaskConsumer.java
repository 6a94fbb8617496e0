package dev.rabbitworks.worker.messaging;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;

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

/**
 * What the worker does with each task {@link TaskQueueConsumer} receives: does the work, settles the delivery,
 * then publishes the task event (without waiting for its confirm). Settling: ack when done; when an attempt
 * failed, publish the task to its retry queue (or, after the last attempt or at once when it can never be done,
 * to the dead letters) with a publisher confirm, and ack only then (see {@link RetryPolicy},
 * {@link FailedTaskPublisher}). If that publish is not confirmed, the task is requeued instead: never acked unless
 * it is safely somewhere else.
 * <p>
 * The returned Uni completes once the task is settled. The work itself is a timer, so no thread is blocked while
 * a task is in progress; the broker's prefetch, not threads, bounds the tasks in progress.
 */
@ApplicationScoped
public class TaskConsumer {

    static final String CHANNEL = "tasks";
    private static final Logger LOG = Logger.getLogger(TaskConsumer.class);

    private final TaskProcessor processor;
    private final TaskEventPublisher events;
    private final InFlightTasks inFlight;
    private final TaskMetrics metrics;
    private final RetryPolicy retryPolicy;
    private final FailedTaskPublisher failedTasks;
    private final String worker;

    public TaskConsumer(TaskProcessor processor, TaskEventPublisher events, InFlightTasks inFlight,
            TaskMetrics metrics, RetryPolicy retryPolicy, FailedTaskPublisher failedTasks, WorkerIdentity identity) {
        this.processor = processor;
        this.retryPolicy = retryPolicy;
        this.failedTasks = failedTasks;
        this.events = events;
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.worker = identity.instanceName();
    }

    public Uni<Void> consume(TaskDeliveries.Received message) {
        TaskDelivery delivery;
        try {
            delivery = TaskDeliveries.read(message);
        } catch (RuntimeException unreadable) {
            // Such a message can never be done: dead-letter it.
            LOG.errorf(unreadable, "unreadable task message dead-lettered");
            return settleNow(() -> message.reject(false));
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
        return processor.process(delivery)
                .invoke(metrics::record)
                .call(result -> settle(message, result))
                // The event goes out right after the settlement, its confirm tracked by the publisher on its own:
                // neither holds the ack (and so the next delivery) back. A crash in between loses the event, not
                // the task; the attempt's log line, written before the ack, still tells.
                .invoke(result -> events.publish(TaskEvent.of(result, worker)))
                .onTermination().invoke(inFlight::finish)
                .replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    // Never let one task end the stream: the delivery stays unacked and is redelivered.
                    LOG.errorf(failure, "task id=%s attempt=%d could not be handled", delivery.taskId(),
                            delivery.attempt());
                    return null;
                });
    }

    private Uni<Void> settle(TaskDeliveries.Received message, TaskResult result) {
        Settlement settlement = retryPolicy.settlementFor(result);
        if (!message.canSettle()) {
            logTask(result, "left to the broker (connection lost while in progress; it will be redelivered)");
            return Uni.createFrom().voidItem();
        }
        return switch (settlement) {
            case ACK -> {
                logTask(result, "ack");
                yield settleNow(message::ack);
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
    private Uni<Void> sendOn(TaskDeliveries.Received message, TaskResult result, String settlement, Send send) {
        return Uni.createFrom().item(() -> {
            try {
                send.to(message.properties());
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
                    if (!message.canSettle()) {
                        logTask(result, settlement + ", then left to the broker (connection lost)");
                        return Uni.createFrom().voidItem();
                    }
                    if (sent) {
                        logTask(result, settlement);
                        return settleNow(message::ack);
                    }
                    logTask(result, "requeue (" + settlement + " not confirmed)");
                    return settleNow(() -> message.reject(true));
                });
    }

    /** An ack or nack: a short socket write; a failure (channel gone) leaves the delivery to the broker. */
    private static Uni<Void> settleNow(Settle settle) {
        try {
            settle.run();
        } catch (IOException | RuntimeException e) {
            LOG.warnf("could not settle a task delivery (%s); the broker redelivers it", e.toString());
        }
        return Uni.createFrom().voidItem();
    }

    @FunctionalInterface
    private interface Settle {
        void run() throws IOException;
    }

    @FunctionalInterface
    private interface Send {
        void to(com.rabbitmq.client.BasicProperties original) throws Exception;
    }

    /** One line per attempt; concatenated, not printf-formatted (a Formatter per task showed in the profiles). */
    private static void logTask(TaskResult result, String settlement) {
        TaskDelivery delivery = result.delivery();
        String line = "task id=" + delivery.taskId() + " attempt=" + delivery.attempt() + " outcome="
                + result.outcome().label() + " durationMs=" + result.duration().toMillis() + " settled=" + settlement;
        LOG.info(result.error() == null ? line : line + " error=\"" + result.error() + "\"");
    }
}
