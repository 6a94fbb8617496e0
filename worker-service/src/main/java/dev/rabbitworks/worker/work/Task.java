package dev.rabbitworks.worker.work;

/** A task whose body is readable text: what the work is done on. */
public record Task(String taskId, int attempt, String body) {

    /** One unit of simulated work per '.' in the body. */
    public long workUnits() {
        return body.chars().filter(c -> c == '.').count();
    }
}
