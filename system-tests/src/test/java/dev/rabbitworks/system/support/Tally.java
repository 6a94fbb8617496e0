package dev.rabbitworks.system.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The end-to-end count of a fault test: every task that got a 202 against the completions seen (task.completed
 * events and the workers' own records of an ack; task.accepted, started, failed and retrying never count, so a task
 * started twice is not a duplicate). lost = accepted tasks never completed; duplicated = completed attempts beyond
 * one per task (a task done again after a worker died with it, or after its final event was not confirmed).
 */
public record Tally(String fault, int accepted, int completed, Set<String> lostIds, int duplicated, long recoveryMillis,
        String details) {

    private static boolean summaryStarted;

    public static Tally count(String fault, List<String> acceptedIds, List<TaskEvents.Attempt> completions,
            long recoveryMillis, String details) {
        Map<String, Integer> perTask = new HashMap<>();
        completions.forEach(c -> perTask.merge(c.taskId(), 1, Integer::sum));
        Set<String> lost = new TreeSet<>();
        int completed = 0;
        int duplicated = 0;
        for (String id : acceptedIds) {
            int times = perTask.getOrDefault(id, 0);
            if (times == 0) {
                lost.add(id);
            } else {
                completed++;
                duplicated += times - 1;
            }
        }
        return new Tally(fault, acceptedIds.size(), completed, lost, duplicated, recoveryMillis, details);
    }

    /**
     * Waits, at most {@code atMost}, until every accepted task was completed, then counts. Never throws on the
     * timeout: the count says what is missing.
     */
    public static Tally awaitAndCount(String fault, List<String> acceptedIds, TaskEvents events,
            Supplier<List<ServiceProcess>> workers, Duration atMost, LongSupplier recoveryMillis,
            Supplier<String> details) {
        try {
            Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> count(fault,
                    acceptedIds, events.completions(workers.get()), 0, "").lostIds().isEmpty());
        } catch (ConditionTimeoutException e) {
            // reported below
        }
        return count(fault, acceptedIds, events.completions(workers.get()), recoveryMillis.getAsLong(), details.get());
    }

    public int lost() {
        return lostIds.size();
    }

    /** For a recovery time that does not apply (no fault to recover from). */
    public static final long NOT_APPLICABLE = Long.MIN_VALUE;

    public String line() {
        String recovery = recoveryMillis == NOT_APPLICABLE ? "n/a" : recoveryMillis + "ms";
        return String.format("[fault] %-22s accepted=%d completed=%d lost=%d duplicated=%d recovery=%s%s", fault,
                accepted, completed, lost(), duplicated, recovery, details.isEmpty() ? "" : " " + details);
    }

    /** Prints the summary line and appends it to target/system-reports/summary.txt (fresh each run). */
    public Tally report() {
        String line = line();
        System.out.println(line);
        if (!lostIds.isEmpty()) {
            System.out.println("[fault] " + fault + " lost ids: " + lostIds);
        }
        appendToSummary(line);
        return this;
    }

    static synchronized void appendToSummary(String line) {
        Path summary = Outputs.dir("system-reports").resolve("summary.txt");
        try {
            if (!summaryStarted) {
                Files.deleteIfExists(summary);
                summaryStarted = true;
            }
            Files.writeString(summary, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A line for the summary that is not a fault count (e.g. the RPC figures). */
    public static void note(String line) {
        System.out.println(line);
        appendToSummary(line);
    }
}
