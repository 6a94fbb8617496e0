package dev.rabbitworks.producer.status;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * POST /tasks with an Idempotency-Key: the first request with a key publishes, every later one with the same key
 * and the same request gets the first one's task id and publishes nothing; another request under a used key is
 * refused. Exact within this replica (requests racing on one key wait for the first); across replicas a key is
 * known once its task.accepted event has come through the stream (docs/producer-service.md, "Idempotent submit").
 */
@ApplicationScoped
public class IdempotentSubmissions {

    /** The task a request stands for, and whether an earlier request created it. */
    public record Submission(String taskId, boolean replayed) {
    }

    /** The key was used for another request (another body or content type). */
    public static final class KeyReused extends RuntimeException {
        KeyReused() {
            super("this Idempotency-Key was used for another request (another body or content type)", null, false,
                    false);
        }
    }

    private record Claim(String fingerprint, CompletableFuture<String> taskId) {
    }

    private final TaskStatusIndex index;
    private final ConcurrentHashMap<String, Claim> inFlight = new ConcurrentHashMap<>();

    public IdempotentSubmissions(TaskStatusIndex index) {
        this.index = index;
    }

    /**
     * {@code publish} is called only when no task exists for the key yet; it completes with the new task's id once
     * the task is confirmed and its acceptance (with the key) recorded in the index.
     */
    public CompletionStage<Submission> submit(String key, String fingerprint,
            Supplier<CompletionStage<String>> publish) {
        if (!index.isLoaded()) {
            // The key may have been used before this replica started: publishing now could make a second task.
            return CompletableFuture.failedFuture(new StatusNotLoaded());
        }
        Optional<CompletionStage<Submission>> known = known(key, fingerprint);
        if (known.isPresent()) {
            return known.get();
        }
        Claim mine = new Claim(fingerprint, new CompletableFuture<>());
        Claim first = inFlight.putIfAbsent(key, mine);
        if (first != null) {
            return first.taskId().thenApply(taskId -> replay(taskId, first.fingerprint(), fingerprint));
        }
        // The first request may have finished (and let go of its claim) between the look-up and the claim.
        known = known(key, fingerprint);
        if (known.isPresent()) {
            inFlight.remove(key, mine);
            return known.get();
        }
        publish.get().whenComplete((taskId, failure) -> {
            inFlight.remove(key, mine);
            if (failure != null) {
                mine.taskId().completeExceptionally(failure);
            } else {
                mine.taskId().complete(taskId);
            }
        });
        return mine.taskId().thenApply(taskId -> new Submission(taskId, false));
    }

    private Optional<CompletionStage<Submission>> known(String key, String fingerprint) {
        return index.byKey(key).map(keyed -> {
            try {
                return CompletableFuture.completedFuture(replay(keyed.taskId(), keyed.bodySha256(), fingerprint));
            } catch (KeyReused e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    private static Submission replay(String taskId, String firstFingerprint, String fingerprint) {
        if (!fingerprint.equals(firstFingerprint)) {
            throw new KeyReused();
        }
        return new Submission(taskId, true);
    }
}
