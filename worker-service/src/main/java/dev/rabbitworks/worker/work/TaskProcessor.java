package dev.rabbitworks.worker.work;

import java.nio.charset.CharacterCodingException;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/** Does one attempt at a task and says how it ended; it never fails itself, whatever the task does. */
@ApplicationScoped
public class TaskProcessor {

    private final SimulatedWork work;

    public TaskProcessor(SimulatedWork work) {
        this.work = work;
    }

    public Uni<TaskResult> process(TaskDelivery delivery) {
        long start = System.nanoTime();
        Task task;
        try {
            task = new Task(delivery.taskId(), delivery.attempt(), TaskBodyDecoder.decode(delivery.body()));
        } catch (CharacterCodingException e) {
            return Uni.createFrom().item(TaskResult.failed(delivery, since(start), FailureKind.UNPROCESSABLE,
                    "body is not valid UTF-8"));
        }
        Optional<String> deliberateFailure = DeliberateFailures.reasonToFail(task);
        if (deliberateFailure.isPresent()) {
            return Uni.createFrom().item(TaskResult.failed(delivery, since(start), FailureKind.RETRYABLE,
                    deliberateFailure.get()));
        }
        return work.perform(task)
                .map(done -> TaskResult.completed(delivery, since(start)))
                .onFailure().recoverWithItem(failure -> TaskResult.failed(delivery, since(start),
                        FailureKind.RETRYABLE, String.valueOf(failure.getMessage())));
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
