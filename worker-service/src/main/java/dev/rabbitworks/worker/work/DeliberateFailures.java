package dev.rabbitworks.worker.work;

import java.util.Optional;

/** The contract's way to make a task fail on purpose, to exercise retries and dead-lettering. */
public final class DeliberateFailures {

    private DeliberateFailures() {
    }

    /** Why this attempt must fail, or empty when it should be done normally. */
    public static Optional<String> reasonToFail(Task task) {
        if (task.body().startsWith("fail")) {
            return Optional.of("task asked to fail (body starts with 'fail')");
        }
        if (task.body().startsWith("flaky") && task.attempt() == 1) {
            return Optional.of("flaky task fails on its first delivery");
        }
        return Optional.empty();
    }
}
