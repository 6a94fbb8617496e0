package dev.rabbitworks.producer.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.rabbitworks.producer.config.ProducerConfig;

/**
 * Every task this replica has heard of, with its status, built from the lifecycle events (the stream replayed at
 * start, then live). Events may come in any order: within an attempt a status only moves forward, a later attempt
 * moves past an earlier one, a final state ({@code completed}, {@code dead}) stays. Holds at most
 * {@code producer.status-max-tasks} tasks and as many idempotency keys; the oldest go first.
 */
@ApplicationScoped
public class TaskStatusIndex {

    /** A client's Idempotency-Key, the task it created and the fingerprint of the request that created it. */
    public record KeyedTask(String taskId, String bodySha256) {
    }

    private static final class Entry {
        TaskState state;
        int attempt;
        int attempts;
        String worker;
        Instant acceptedAt;
        Instant startedAt;
        Instant finishedAt;
        String reason;
    }

    private final int maxTasks;
    private final Map<String, Entry> tasks;
    private final Map<String, KeyedTask> keys;
    private final Map<String, List<CompletableFuture<Void>>> waiters = new HashMap<>();
    /** True once every event that was in the stream when this replica started has been applied. */
    private volatile boolean loaded;

    @Inject
    public TaskStatusIndex(ProducerConfig config) {
        this(config.statusMaxTasks());
    }

    TaskStatusIndex(int maxTasks) {
        this.maxTasks = maxTasks;
        this.tasks = bounded(maxTasks);
        this.keys = bounded(maxTasks);
    }

    private static <V> Map<String, V> bounded(int max) {
        return new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }

    /** Called once the stream has been read up to where it ended when reading began. */
    public void markLoaded() {
        loaded = true;
    }

    /** Whether the index holds every task the stream held at start (until then, "unknown" proves nothing). */
    public boolean isLoaded() {
        return loaded;
    }

    /** Fails with {@link StatusNotLoaded} until the index is loaded. */
    public void requireLoaded() {
        if (!loaded) {
            throw new StatusNotLoaded();
        }
    }

    public void apply(LifecycleEvent event) {
        // Waiters are released outside the lock: what they chain (an HTTP answer) must not run under it.
        List<CompletableFuture<Void>> released = record(event);
        if (released != null) {
            released.forEach(future -> future.complete(null));
        }
    }

    private synchronized List<CompletableFuture<Void>> record(LifecycleEvent event) {
        Entry entry = tasks.get(event.taskId());
        if (entry == null) {
            entry = new Entry();
            tasks.put(event.taskId(), entry);
        }
        entry.attempts = Math.max(entry.attempts, event.attempt());
        if (event.state() == TaskState.ACCEPTED) {
            if (entry.acceptedAt == null) {
                entry.acceptedAt = event.timestamp();
            }
            if (event.idempotencyKey() != null && !keys.containsKey(event.idempotencyKey())) {
                keys.put(event.idempotencyKey(), new KeyedTask(event.taskId(), event.bodySha256()));
            }
        }
        if (event.state() == TaskState.STARTED && (entry.startedAt == null
                || event.timestamp().isBefore(entry.startedAt))) {
            entry.startedAt = event.timestamp();
        }
        if (movesForward(entry, event)) {
            entry.state = event.state();
            entry.attempt = event.attempt();
            if (event.worker() != null) {
                entry.worker = event.worker();
            }
            if (event.reason() != null || event.state() == TaskState.COMPLETED) {
                entry.reason = event.reason();
            }
            if (event.state().isFinal()) {
                entry.finishedAt = event.timestamp();
                return waiters.remove(event.taskId());
            }
        }
        return null;
    }

    private static boolean movesForward(Entry entry, LifecycleEvent event) {
        if (entry.state == null) {
            return true;
        }
        if (entry.state.isFinal()) {
            return false;
        }
        if (event.state().isFinal()) {
            return true;
        }
        return event.attempt() > entry.attempt
                || (event.attempt() == entry.attempt && event.state().rank() > entry.state.rank());
    }

    public synchronized Optional<TaskStatus> status(String taskId) {
        Entry entry = tasks.get(taskId);
        if (entry == null || entry.state == null) {
            return Optional.empty();
        }
        return Optional.of(new TaskStatus(taskId, entry.state.label(), entry.attempts, entry.worker,
                entry.acceptedAt, entry.startedAt, entry.finishedAt, entry.reason));
    }

    /** The task created with this Idempotency-Key, if this replica knows the key. */
    public synchronized Optional<KeyedTask> byKey(String idempotencyKey) {
        return Optional.ofNullable(keys.get(idempotencyKey));
    }

    /**
     * Completes once the task is in a final state or {@code wait} has passed, whichever comes first; then read
     * {@link #status(String)}. Never fails.
     */
    public CompletionStage<Void> awaitFinal(String taskId, Duration wait) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            Entry entry = tasks.get(taskId);
            if (entry != null && entry.state != null && entry.state.isFinal()) {
                return CompletableFuture.completedFuture(null);
            }
            waiters.computeIfAbsent(taskId, id -> new ArrayList<>()).add(done);
        }
        done.completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS);
        return done.whenComplete((ignored, failure) -> forget(taskId, done));
    }

    public synchronized int size() {
        return tasks.size();
    }

    public int maxTasks() {
        return maxTasks;
    }

    private synchronized void forget(String taskId, CompletableFuture<Void> done) {
        List<CompletableFuture<Void>> waiting = waiters.get(taskId);
        if (waiting != null && waiting.remove(done) && waiting.isEmpty()) {
            waiters.remove(taskId);
        }
    }
}
