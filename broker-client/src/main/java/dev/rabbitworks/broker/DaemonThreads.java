package dev.rabbitworks.broker;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names the services' background threads for broker work; daemons, so a stuck connect never holds the JVM. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Every thread named {@code name} (for a single-thread executor). */
    public static ThreadFactory named(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Threads named {@code prefix-1}, {@code prefix-2} ... (for a pool). */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> named(prefix + "-" + count.incrementAndGet()).newThread(task);
    }
}
