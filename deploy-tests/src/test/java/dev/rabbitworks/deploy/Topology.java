package dev.rabbitworks.deploy;

import java.util.LinkedHashMap;
import java.util.Map;

/** The broker names (docs/messaging-contract.md) as deploy/20-topology.yaml gives them to the services. */
record Topology(String taskQueue, String deadLetterExchange, String deadLetterQueue, long taskDeliveryLimit,
        String fanoutExchange, String directExchange, String topicExchange, String rpcQueue, String taskEventsStream,
        String taskEventsMaxAge, long taskEventsMaxBytes) {

    /** broker-client's MessagingContract.TASK_EVENTS_SEGMENT_BYTES (not a setting, so not in the ConfigMap). */
    static final long TASK_EVENTS_SEGMENT_BYTES = 100_000_000L;

    static final String CONFIG_MAP = "rabbitworks-topology";

    static Topology fromDeploy() {
        Map<String, String> data = Manifests.configMapData(CONFIG_MAP);
        return new Topology(value(data, "TOPOLOGY_TASK_QUEUE"), value(data, "TOPOLOGY_DEAD_LETTER_EXCHANGE"),
                value(data, "TOPOLOGY_DEAD_LETTER_QUEUE"), Long.parseLong(value(data, "TOPOLOGY_TASK_DELIVERY_LIMIT")),
                value(data, "TOPOLOGY_FANOUT_EXCHANGE"), value(data, "TOPOLOGY_DIRECT_EXCHANGE"),
                value(data, "TOPOLOGY_TOPIC_EXCHANGE"), value(data, "TOPOLOGY_RPC_QUEUE"),
                value(data, "TOPOLOGY_TASK_EVENTS_STREAM"), value(data, "TOPOLOGY_TASK_EVENTS_MAX_AGE"),
                Long.parseLong(value(data, "TOPOLOGY_TASK_EVENTS_MAX_BYTES")));
    }

    private static String value(Map<String, String> data, String key) {
        String value = data.get(key);
        if (value == null || value.isBlank()) {
            throw new AssertionError("ConfigMap " + CONFIG_MAP + " has no " + key);
        }
        return value;
    }

    /** The work queue's declare arguments, exactly as in the contract (x-delivery-limit a long). */
    Map<String, Object> taskQueueArguments() {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("x-queue-type", "quorum");
        arguments.put("x-delivery-limit", taskDeliveryLimit);
        arguments.put("x-dead-letter-exchange", deadLetterExchange);
        arguments.put("x-dead-letter-routing-key", deadLetterQueue);
        return arguments;
    }

    /** The task events stream's declare arguments, as broker-client's MessagingContract sends them. */
    Map<String, Object> taskEventsStreamArguments() {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("x-queue-type", "stream");
        arguments.put("x-max-age", taskEventsMaxAge);
        arguments.put("x-max-length-bytes", taskEventsMaxBytes);
        arguments.put("x-stream-max-segment-size-bytes", TASK_EVENTS_SEGMENT_BYTES);
        return arguments;
    }

    /** A retry queue of the worker (level 1..n): durable classic, expired tasks go back to the work queue. */
    String retryQueue(int level) {
        return taskQueue + ".retry." + level;
    }

    Map<String, Object> retryQueueArguments() {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("x-dead-letter-exchange", "");
        arguments.put("x-dead-letter-routing-key", taskQueue);
        return arguments;
    }
}
