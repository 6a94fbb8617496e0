package dev.rabbitworks.broker;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;

/**
 * The queues and exchanges the services declare, with their arguments, written once (docs/messaging-contract.md
 * is the human view). Every service that declares one of them declares it through here, so the arguments can never
 * differ between declarers (the broker refuses a second declare with other arguments: PRECONDITION_FAILED).
 */
public final class MessagingContract {

    private MessagingContract() {
    }

    /** The work queue's arguments: quorum, a bounded number of redeliveries, then the dead letters. */
    public static Map<String, Object> taskQueueArguments(TopologyConfig topology) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("x-queue-type", "quorum");
        // A long, as every declarer sends it: the broker compares argument types too.
        arguments.put("x-delivery-limit", Long.valueOf(topology.taskDeliveryLimit()));
        arguments.put("x-dead-letter-exchange", topology.deadLetterExchange());
        arguments.put("x-dead-letter-routing-key", topology.deadLetterQueue());
        atLeastOnceDeadLettering(arguments);
        return arguments;
    }

    /**
     * The dead letters' queue: quorum like every queue that holds tasks, so it survives the loss of a node (a
     * classic queue is on one node: while that node is down, nothing can be dead-lettered into it).
     */
    public static Map<String, Object> deadLetterQueueArguments() {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("x-queue-type", "quorum");
        return arguments;
    }

    /** The retry queue of a level (1, 2 ...): {@code <task-queue>.retry.<level>}. */
    public static String retryQueue(TopologyConfig topology, int level) {
        return topology.taskQueue() + ".retry." + level;
    }

    /**
     * A retry queue's arguments: quorum, and a task whose delay (its expiration) is over goes back to the work queue,
     * at least once.
     */
    public static Map<String, Object> retryQueueArguments(TopologyConfig topology) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("x-queue-type", "quorum");
        arguments.put("x-dead-letter-exchange", "");
        arguments.put("x-dead-letter-routing-key", topology.taskQueue());
        atLeastOnceDeadLettering(arguments);
        return arguments;
    }

    /**
     * A quorum queue dead-letters at most once by default: a message whose target queue cannot take it at that
     * moment (its leader being elected, a node down) is dropped. At least once keeps it in the source queue until the
     * target confirms it; the broker allows that only with the reject-publish overflow (which, with no length limit
     * set, never refuses anything).
     */
    private static void atLeastOnceDeadLettering(Map<String, Object> arguments) {
        arguments.put("x-dead-letter-strategy", "at-least-once");
        arguments.put("x-overflow", "reject-publish");
    }

    /** The dead-letter exchange and queue, bound by the queue's name, then the work queue that feeds them. */
    public static void declareWorkQueue(Channel channel, TopologyConfig topology) throws IOException {
        channel.exchangeDeclare(topology.deadLetterExchange(), BuiltinExchangeType.DIRECT, true, false, null);
        channel.queueDeclare(topology.deadLetterQueue(), true, false, false, deadLetterQueueArguments());
        channel.queueBind(topology.deadLetterQueue(), topology.deadLetterExchange(), topology.deadLetterQueue());
        channel.queueDeclare(topology.taskQueue(), true, false, false, taskQueueArguments(topology));
    }

    /** The retry queues of levels 1 to {@code levels}. */
    public static void declareRetryQueues(Channel channel, TopologyConfig topology, int levels) throws IOException {
        for (int level = 1; level <= levels; level++) {
            channel.queueDeclare(retryQueue(topology, level), true, false, false, retryQueueArguments(topology));
        }
    }

    /** The topic exchange (task events and POST /events). */
    public static void declareTopicExchange(Channel channel, TopologyConfig topology) throws IOException {
        channel.exchangeDeclare(topology.topicExchange(), BuiltinExchangeType.TOPIC, true, false, null);
    }

    /** The three pub/sub exchanges: fanout, direct and topic. */
    public static void declarePubSubExchanges(Channel channel, TopologyConfig topology) throws IOException {
        channel.exchangeDeclare(topology.fanoutExchange(), BuiltinExchangeType.FANOUT, true, false, null);
        channel.exchangeDeclare(topology.directExchange(), BuiltinExchangeType.DIRECT, true, false, null);
        declareTopicExchange(channel, topology);
    }

    /** The RPC request queue's arguments: none (a classic queue) unless {@code topology.rpc-queue-type} is set. */
    public static Map<String, Object> rpcQueueArguments(TopologyConfig topology) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        topology.rpcQueueType().filter(type -> !type.isBlank()).ifPresent(type -> arguments.put("x-queue-type", type));
        return arguments;
    }

    /** The RPC request queue: durable, used through the default exchange (no other binding). */
    public static void declareRpcQueue(Channel channel, TopologyConfig topology) throws IOException {
        channel.queueDeclare(topology.rpcQueue(), true, false, false, rpcQueueArguments(topology));
    }

    /** The routing keys of task lifecycle events: {@code task.<state>}. */
    public static final String TASK_EVENTS_PATTERN = "task.#";
    /** Segments of 100 MB (the broker's default is 500 MB): retention drops whole segments, so smaller is finer. */
    static final long TASK_EVENTS_SEGMENT_BYTES = 100_000_000L;

    /** The task events stream's arguments: a stream, retention by age and by size. */
    public static Map<String, Object> taskEventsStreamArguments(TopologyConfig topology) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("x-queue-type", "stream");
        arguments.put("x-max-age", topology.taskEventsMaxAge());
        arguments.put("x-max-length-bytes", Long.valueOf(topology.taskEventsMaxBytes()));
        arguments.put("x-stream-max-segment-size-bytes", Long.valueOf(TASK_EVENTS_SEGMENT_BYTES));
        return arguments;
    }

    /** The stream that keeps task lifecycle events, bound to the topic exchange for every {@code task.*} key. */
    public static void declareTaskEventsStream(Channel channel, TopologyConfig topology) throws IOException {
        declareTopicExchange(channel, topology);
        channel.queueDeclare(topology.taskEventsStream(), true, false, false, taskEventsStreamArguments(topology));
        channel.queueBind(topology.taskEventsStream(), topology.topicExchange(), TASK_EVENTS_PATTERN);
    }
}
