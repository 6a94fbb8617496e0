package dev.rabbitworks.worker.messaging;

import java.util.concurrent.ThreadFactory;

/** Names the background threads of the broker connections; daemons, so a stuck connect never holds the JVM. */
final class DaemonThreads {

    private DaemonThreads() {
    }

    static ThreadFactory named(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
