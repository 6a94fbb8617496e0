package dev.rabbitworks.worker.messaging;

/** The states of a task the worker reports (docs/messaging-contract.md, "Task lifecycle events"). */
public enum TaskState {
    STARTED("started", false),
    FAILED("failed", false),
    RETRYING("retrying", false),
    COMPLETED("completed", true),
    DEAD("dead", true);

    private final String label;
    private final String routingKey;
    private final boolean terminal;

    TaskState(String label, boolean terminal) {
        this.label = label;
        this.routingKey = "task." + label;
        this.terminal = terminal;
    }

    /** The word in the event's {@code state} field. */
    public String label() {
        return label;
    }

    /** {@code task.<state>} on the topic exchange. */
    public String routingKey() {
        return routingKey;
    }

    /** A task's last state: its event is confirmed before the ack in the confirmed event delivery. */
    public boolean isFinal() {
        return terminal;
    }
}
