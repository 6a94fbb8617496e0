package dev.rabbitworks.system.faults;

import java.time.Duration;
import java.util.Optional;

import dev.rabbitworks.system.support.SystemUnderTest;
import dev.rabbitworks.system.support.TaskEvents;
import dev.rabbitworks.system.support.TaskLoad;

/** What the fault tests share: batch sizes, rates, bounds, and how recovery is timed. */
final class Faults {

    /** Tasks per fault test: hundreds, sent over a few seconds so the fault lands in the middle. */
    static final int BATCH = 300;
    static final int RATE = 100;
    static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);
    static final Duration COMPLETION_TIMEOUT = Duration.ofSeconds(60);

    private Faults() {
    }

    /**
     * Time from the fault until the task that was in hand at the fault was done again: the first redelivered
     * (attempt 2) completion by {@code byWorker} after the fault; -1 when none was seen.
     */
    static long millisUntilRedone(TaskEvents events, String byWorker, long faultAtNanos) {
        return events.events().stream()
                .filter(e -> e.fromEvent() && "completed".equals(e.outcome()) && e.attempt() > 1
                        && byWorker.equals(e.worker()) && e.seenAtNanos() >= faultAtNanos)
                .mapToLong(e -> (e.seenAtNanos() - faultAtNanos) / 1_000_000).min().orElse(-1);
    }

    /**
     * Time from {@code sinceNanos} until the system worked end to end again: the completion event of the first task
     * that was sent after that moment and accepted. -1 when none was seen.
     */
    static long millisUntilEndToEnd(TaskLoad load, TaskEvents events, long sinceNanos) {
        Optional<TaskLoad.Sent> first = load.sent().stream()
                .filter(s -> s.accepted() && s.answeredAtNanos() - s.latencyNanos() >= sinceNanos)
                .min((a, b) -> Long.compare(a.answeredAtNanos(), b.answeredAtNanos()));
        if (first.isEmpty()) {
            return -1;
        }
        String id = first.get().id();
        return events.events().stream().filter(e -> id.equals(e.taskId()) && "completed".equals(e.outcome()))
                .mapToLong(e -> (e.seenAtNanos() - sinceNanos) / 1_000_000).min().orElse(-1);
    }

    static void close(TaskEvents events, SystemUnderTest system) {
        try {
            if (events != null) {
                events.close();
            }
        } finally {
            if (system != null) {
                system.close();
            }
        }
    }
}
