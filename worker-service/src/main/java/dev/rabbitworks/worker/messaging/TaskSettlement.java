package dev.rabbitworks.worker.messaging;

import java.io.IOException;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.rabbitmq.client.BasicProperties;

import dev.rabbitworks.broker.Delivery;
import dev.rabbitworks.worker.config.EventDelivery;
import dev.rabbitworks.worker.config.WorkerConfig;
import dev.rabbitworks.worker.config.WorkerIdentity;
import dev.rabbitworks.worker.work.RetryPolicy;
import dev.rabbitworks.worker.work.TaskDelivery;
import dev.rabbitworks.worker.work.TaskResult;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Ends a delivery once its attempt is over, and reports what became of it. Never acks a task before it is safely
 * done or elsewhere:
 * <ul>
 * <li>completed: ack;</li>
 * <li>failed, retries left: published to the retry queue of its attempt with a confirm ({@link RetryPolicy},
 * {@link FailedTaskPublisher}), then acked;</li>
 * <li>failed for good: published to the dead letters with a confirm, then acked;</li>
 * <li>a publish before the ack not confirmed: requeued instead.</li>
 * </ul>
 * Events, by worker.event-delivery: <b>confirmed</b> (default) publishes {@code task.failed} when the attempt
 * failed, {@code task.retrying} once the retry is confirmed, and the final event ({@code task.completed},
 * {@code task.dead}) with a confirm before the ack: not confirmed, the task is requeued (it runs again, its status
 * is never left wrong). <b>best-effort</b> publishes every event after the ack without waiting. Nothing is
 * published while the {@link PublishGate} is closed (a broker alarm): a task that needs a publish to be settled
 * waits there, unacked; best-effort events are skipped.
 */
@ApplicationScoped
public class TaskSettlement {

    private static final Logger LOG = Logger.getLogger(TaskSettlement.class);

    private final TaskEventPublisher events;
    private final FailedTaskPublisher failedTasks;
    private final RetryPolicy retryPolicy;
    private final PublishGate gate;
    private final boolean confirmed;
    private final String worker;

    public TaskSettlement(TaskEventPublisher events, FailedTaskPublisher failedTasks, RetryPolicy retryPolicy,
            PublishGate gate, WorkerConfig config, WorkerIdentity identity) {
        this.events = events;
        this.failedTasks = failedTasks;
        this.retryPolicy = retryPolicy;
        this.gate = gate;
        this.confirmed = config.eventDelivery() == EventDelivery.CONFIRMED;
        this.worker = identity.instanceName();
    }

    /** Completes once the delivery is acked, requeued or left to the broker; never fails. */
    public Uni<Void> settle(Delivery message, TaskResult result) {
        if (!message.canSettle()) {
            logTask(result, "left to the broker (connection lost while in progress; it will be redelivered)");
            events.publish(TaskEvent.ended(result, worker, now()));
            return Uni.createFrom().voidItem();
        }
        return switch (retryPolicy.settlementFor(result)) {
            case ACK -> completed(message, result);
            case RETRY -> retry(message, result);
            case DEAD_LETTER -> deadLetter(message, result);
        };
    }

    private Uni<Void> completed(Delivery message, TaskResult result) {
        TaskEvent completed = TaskEvent.ended(result, worker, now());
        if (!confirmed) {
            ack(message, result, "ack");
            events.publish(completed);
            return Uni.createFrom().voidItem();
        }
        return confirmThenAck(message, result, completed, "ack");
    }

    private Uni<Void> retry(Delivery message, TaskResult result) {
        TaskDelivery delivery = result.delivery();
        int level = retryPolicy.retryLevel(delivery);
        Duration delay = retryPolicy.delayAfter(delivery);
        String settlement = "retry-" + level + " in " + delay.toMillis() + "ms";
        TaskEvent failed = failedEvent(result);
        return sendOn(message, result, settlement, original -> failedTasks.retry(original, delivery.body(),
                delivery.attempt() + 1, level, delay, result.error()))
                .invoke(sentAt -> {
                    if (sentAt == null) {
                        requeue(message, result, settlement + " not confirmed");
                        publishAfterSettling(failed);
                        return;
                    }
                    TaskEvent retrying = TaskEvent.retrying(result, worker, sentAt, delay);
                    if (confirmed) {
                        events.publish(retrying);
                        ack(message, result, settlement);
                    } else {
                        ack(message, result, settlement);
                        events.publish(failed);
                        events.publish(retrying);
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> deadLetter(Delivery message, TaskResult result) {
        TaskDelivery delivery = result.delivery();
        TaskEvent failed = failedEvent(result);
        return sendOn(message, result, "dead-letter", original -> failedTasks.deadLetter(original, delivery.body(),
                delivery.attempt(), result.error()))
                .chain(sentAt -> {
                    if (sentAt == null) {
                        requeue(message, result, "dead-letter not confirmed");
                        publishAfterSettling(failed);
                        return Uni.createFrom().voidItem();
                    }
                    TaskEvent dead = TaskEvent.dead(result, worker, now());
                    if (!confirmed) {
                        ack(message, result, "dead-letter");
                        events.publish(failed);
                        events.publish(dead);
                        return Uni.createFrom().voidItem();
                    }
                    // Also dead-lettered again when it runs again: a duplicate in the dead letters, never a loss.
                    return confirmThenAck(message, result, dead, "dead-letter");
                });
    }

    /** The confirmed delivery reports the failure at once, the best-effort one after the settlement. */
    private TaskEvent failedEvent(TaskResult result) {
        TaskEvent failed = TaskEvent.ended(result, worker, now());
        if (confirmed) {
            events.publish(failed);
        }
        return failed;
    }

    private void publishAfterSettling(TaskEvent event) {
        if (!confirmed) {
            events.publish(event);
        }
    }

    /**
     * The final event, confirmed, then the ack; requeued when it is not confirmed within worker.event-timeout.
     * Waits first while the broker blocks publishers (the task stays unacked meanwhile, and runs no second time).
     */
    private Uni<Void> confirmThenAck(Delivery message, TaskResult result, TaskEvent event,
            String settlement) {
        return gate.whenOpen()
                .chain(() -> events.publishConfirmed(event))
                .onItemOrFailure().invoke((ignored, failure) -> {
                    if (failure == null) {
                        ack(message, result, settlement);
                    } else {
                        requeue(message, result, (settlement.equals("ack") ? "" : settlement + ", then ")
                                + event.routingKey() + " not confirmed: " + failure.getMessage());
                    }
                })
                .onFailure().recoverWithNull();
    }

    /**
     * Publishes the failed task on (blocking, on a worker thread, once the broker takes publishes). The item is when
     * the publish started (epoch ms: the retry's delay runs from then) once confirmed, null when it was not.
     */
    private Uni<Long> sendOn(Delivery message, TaskResult result, String settlement, Send send) {
        return gate.whenOpen().chain(() -> Uni.createFrom().item(() -> {
            long startedAt = now();
            try {
                send.to(message.properties());
                return startedAt;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warnf("task id=%s: interrupted while sending it on (%s)", result.delivery().taskId(), settlement);
                return null;
            } catch (Exception e) {
                LOG.warnf("task id=%s: could not send it on (%s): %s", result.delivery().taskId(), settlement,
                        e.toString());
                return null;
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    private static void ack(Delivery message, TaskResult result, String settlement) {
        if (!message.canSettle()) {
            logTask(result, settlement + ", then left to the broker (connection lost)");
            return;
        }
        logTask(result, settlement);
        settleNow(message::ack);
    }

    private static void requeue(Delivery message, TaskResult result, String why) {
        if (!message.canSettle()) {
            logTask(result, why + ", then left to the broker (connection lost)");
            return;
        }
        logTask(result, "requeue (" + why + ")");
        settleNow(() -> message.reject(true));
    }

    /** An ack or nack: a short socket write; a failure (channel gone) leaves the delivery to the broker. */
    static void settleNow(Settle settle) {
        try {
            settle.run();
        } catch (IOException | RuntimeException e) {
            LOG.warnf("could not settle a task delivery (%s); the broker redelivers it", e.toString());
        }
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    @FunctionalInterface
    interface Settle {
        void run() throws IOException;
    }

    @FunctionalInterface
    private interface Send {
        void to(BasicProperties original) throws Exception;
    }

    /** One line per attempt; concatenated, not printf-formatted (a Formatter per task showed in the profiles). */
    private static void logTask(TaskResult result, String settlement) {
        TaskDelivery delivery = result.delivery();
        String line = "task id=" + delivery.taskId() + " attempt=" + delivery.attempt() + " outcome="
                + result.outcome().label() + " durationMs=" + result.duration().toMillis() + " settled=" + settlement;
        LOG.info(result.error() == null ? line : line + " error=\"" + result.error() + "\"");
    }
}
