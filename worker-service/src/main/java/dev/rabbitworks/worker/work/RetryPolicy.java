package dev.rabbitworks.worker.work;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.rabbitworks.worker.config.WorkerConfig;

/**
 * The one place that decides what happens to a task after an attempt, and how long a retry waits.
 * <p>
 * Failed attempt {@code n} (1-based) is retried after {@code worker.retry-delays[n-1]}, through the retry queue of
 * level {@code n}; once the delays are used up (attempt {@code retry-delays + 1}), the task is dead-lettered. A task
 * that can never be done (a body that is not UTF-8) is dead-lettered at once.
 * <p>
 * Retries do not go back through a requeue: a requeued task would be redelivered at once (no delay), and on
 * RabbitMQ 3.10 a task dead-lettered by the quorum queue's delivery limit grants the consumer one credit too many
 * (rabbitmq-server#5609). The queue's {@code x-delivery-limit} stays as the backstop for tasks returned by
 * consumers that die.
 */
@ApplicationScoped
public class RetryPolicy {

    private final List<Duration> delays;

    @Inject
    public RetryPolicy(WorkerConfig config) {
        this(config.retryDelays());
    }

    public RetryPolicy(List<Duration> delays) {
        this.delays = List.copyOf(delays);
    }

    public Settlement settlementFor(TaskResult result) {
        if (result.outcome() == TaskOutcome.COMPLETED) {
            return Settlement.ACK;
        }
        if (result.failureKind() == FailureKind.UNPROCESSABLE || result.delivery().attempt() > delays.size()) {
            return Settlement.DEAD_LETTER;
        }
        return Settlement.RETRY;
    }

    /** The retry level of a failed attempt (1 for the first attempt), only meaningful for {@link Settlement#RETRY}. */
    public int retryLevel(TaskDelivery delivery) {
        return Math.max(1, Math.min(delivery.attempt(), delays.size()));
    }

    /** How long the retry of a failed attempt waits. */
    public Duration delayAfter(TaskDelivery delivery) {
        return delays.get(retryLevel(delivery) - 1);
    }

    /** Attempts a task gets before it is dead-lettered. */
    public int maxAttempts() {
        return delays.size() + 1;
    }

    /** The retry levels, 1..retries: one retry queue each. */
    public int retryLevels() {
        return delays.size();
    }
}
