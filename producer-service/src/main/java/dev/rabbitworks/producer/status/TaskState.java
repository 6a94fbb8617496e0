package dev.rabbitworks.producer.status;

import java.util.Locale;
import java.util.Optional;

/**
 * The states of a task, as its lifecycle events name them (routing key {@code task.<state>}). Within one attempt
 * they only move forward in this order; a later attempt moves past every state of an earlier one; a final state
 * stays final.
 */
public enum TaskState {
    ACCEPTED(0, false),
    STARTED(1, false),
    FAILED(2, false),
    RETRYING(3, false),
    COMPLETED(4, true),
    DEAD(4, true);

    private final int rank;
    private final boolean terminal;

    TaskState(int rank, boolean terminal) {
        this.rank = rank;
        this.terminal = terminal;
    }

    /** Where this state comes within an attempt. */
    int rank() {
        return rank;
    }

    public boolean isFinal() {
        return terminal;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TaskState> of(String label) {
        for (TaskState state : values()) {
            if (state.label().equals(label)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
