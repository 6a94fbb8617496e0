package dev.rabbitworks.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.smallrye.config.WithDefault;

class MessagingContractTest {

    @Test
    void taskQueueArgumentsAreExactlyTheContractOnes() {
        Map<String, Object> arguments = MessagingContract.taskQueueArguments(TopologyNames.DEFAULTS);
        assertEquals(Map.of(
                "x-queue-type", "quorum",
                "x-delivery-limit", 3L,
                "x-dead-letter-exchange", "task_queue.dlx",
                "x-dead-letter-routing-key", "task_queue.dead",
                "x-dead-letter-strategy", "at-least-once",
                "x-overflow", "reject-publish"), arguments);
        // A Long, not an Integer: the broker compares argument types when the queue already exists.
        assertEquals(Long.class, arguments.get("x-delivery-limit").getClass());
    }

    @Test
    void aRetryQueueHandsExpiredTasksBackToTheWorkQueue() {
        assertEquals("task_queue.retry.2", MessagingContract.retryQueue(TopologyNames.DEFAULTS, 2));
        assertEquals(Map.of("x-queue-type", "quorum", "x-dead-letter-exchange", "",
                "x-dead-letter-routing-key", "task_queue", "x-dead-letter-strategy", "at-least-once",
                "x-overflow", "reject-publish"), MessagingContract.retryQueueArguments(TopologyNames.DEFAULTS));
    }

    @Test
    void theDeadLettersAreInAQuorumQueue() {
        assertEquals(Map.of("x-queue-type", "quorum"), MessagingContract.deadLetterQueueArguments());
    }

    /** The plain-value defaults are the ones the services read when nothing is configured. */
    @Test
    void topologyNamesDefaultsAreTheConfiguredDefaults() throws Exception {
        for (Method name : TopologyConfig.class.getDeclaredMethods()) {
            WithDefault configured = name.getAnnotation(WithDefault.class);
            Object value = name.invoke(TopologyNames.DEFAULTS);
            if (configured == null) {
                assertEquals(Optional.empty(), value, name.getName() + " has no default: unset");
            } else {
                assertEquals(configured.value(), String.valueOf(value), name.getName());
            }
        }
    }

    @Test
    void theRpcQueueIsClassicUnlessATypeIsConfigured() {
        assertEquals(Map.of(), MessagingContract.rpcQueueArguments(TopologyNames.DEFAULTS));
    }
}
