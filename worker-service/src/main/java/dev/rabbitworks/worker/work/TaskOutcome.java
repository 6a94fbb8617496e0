package dev.rabbitworks.worker.work;

/** How one attempt at a task ended. */
public enum TaskOutcome {
    COMPLETED("completed"),
    FAILED("failed");

    private final String label;

    TaskOutcome(String label) {
        this.label = label;
    }

    /** The word used in events ("outcome") and routing keys ("task.completed"). */
    public String label() {
        return label;
    }
}
