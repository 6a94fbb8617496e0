package dev.rabbitworks.producer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.rabbitworks.producer.config.TopologyConfig;

class TopologyDeclarerTest {

    @Test
    void taskQueueArgumentsAreExactlyTheContractOnes() {
        Map<String, Object> arguments = TopologyDeclarer.taskQueueArguments(TestTopology.DEFAULTS);
        assertEquals(Map.of(
                "x-queue-type", "quorum",
                "x-delivery-limit", 3L,
                "x-dead-letter-exchange", "task_queue.dlx",
                "x-dead-letter-routing-key", "task_queue.dead"), arguments);
        // A Long, not an Integer: the broker compares argument types when the queue already exists.
        assertEquals(Long.class, arguments.get("x-delivery-limit").getClass());
    }

    /** The contract's defaults, without a running application. */
    record TestTopology(String taskQueue, String deadLetterExchange, String deadLetterQueue, long taskDeliveryLimit,
            String fanoutExchange, String directExchange, String topicExchange, String rpcQueue) implements TopologyConfig {
        static final TestTopology DEFAULTS = new TestTopology("task_queue", "task_queue.dlx", "task_queue.dead", 3,
                "logs", "direct_logs", "topic_logs", "rpc_queue");
    }
}
