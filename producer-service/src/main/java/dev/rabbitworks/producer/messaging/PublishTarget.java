package dev.rabbitworks.producer.messaging;

/** What a publish was for; tags the metrics. */
public enum PublishTarget {
    TASK, BROADCAST, DIRECT, TOPIC, RPC,
    /** A task lifecycle event (task.accepted). */
    EVENT;

    String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
