package dev.rabbitworks.containers;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The container tests are opt-in: they need Podman and the images, which a plain {@code ./mvnw verify} does not
 * build. Once switched on they never skip: a missing tool or image fails them.
 */
final class ContainerTestsSwitch implements ExecutionCondition {

    static final String PROPERTY = "rabbitworks.container-tests";
    static final String ENV = "RABBITWORKS_CONTAINER_TESTS";

    static boolean on() {
        return Boolean.parseBoolean(System.getProperty(PROPERTY)) || Boolean.parseBoolean(System.getenv(ENV));
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return on()
                ? ConditionEvaluationResult.enabled(PROPERTY + " is on")
                : ConditionEvaluationResult.disabled("container tests are opt-in: build the images with"
                        + " .ci/container-images (Podman), then run with -D" + PROPERTY + "=true or " + ENV
                        + "=true (.ci/run does)");
    }
}
