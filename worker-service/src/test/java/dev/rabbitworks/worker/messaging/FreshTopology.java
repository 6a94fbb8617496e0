package dev.rabbitworks.worker.messaging;

import java.util.Map;
import java.util.UUID;

import dev.rabbitworks.broker.MessagingContract;
import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.broker.TopologyNames;
import dev.rabbitworks.testing.AmqpTestClient;
import dev.rabbitworks.testing.BrokerSettings;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Names no other test and no other service uses, so that whatever exists under them on the broker was declared by
 * the worker under test. Deletes them once that worker has stopped (no recovery declares them again then).
 */
public class FreshTopology implements QuarkusTestResourceLifecycleManager {

    static final String PREFIX = "topology-test-" + UUID.randomUUID().toString().substring(0, 8);
    static final String TASK_QUEUE = PREFIX + ".tasks";
    static final String DEAD_LETTER_EXCHANGE = PREFIX + ".dlx";
    static final String DEAD_LETTER_QUEUE = PREFIX + ".dead";
    static final String TOPIC_EXCHANGE = PREFIX + ".events";
    /** More retry levels than any test configures. */
    private static final int RETRY_LEVELS_TO_DELETE = 10;

    /** Where to delete them: the broker the test ran on, given by the test (the application's config is gone). */
    private static volatile BrokerSettings broker;

    static void deleteAfterwardsOn(BrokerSettings settings) {
        broker = settings;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("topology.task-queue", TASK_QUEUE, "topology.dead-letter-exchange", DEAD_LETTER_EXCHANGE,
                "topology.dead-letter-queue", DEAD_LETTER_QUEUE, "topology.topic-exchange", TOPIC_EXCHANGE);
    }

    /** The broker names the worker under test is given. */
    static TopologyConfig names() {
        TopologyNames defaults = TopologyNames.DEFAULTS;
        return new TopologyNames(TASK_QUEUE, DEAD_LETTER_EXCHANGE, DEAD_LETTER_QUEUE, defaults.taskDeliveryLimit(),
                defaults.fanoutExchange(), defaults.directExchange(), TOPIC_EXCHANGE, defaults.rpcQueue(),
                defaults.taskEventsStream(), defaults.taskEventsMaxAge(), defaults.taskEventsMaxBytes());
    }

    @Override
    public void stop() {
        if (broker == null) {
            return;
        }
        try (AmqpTestClient amqp = AmqpTestClient.connect(broker, null, null)) {
            amqp.deleteQueue(TASK_QUEUE);
            amqp.deleteQueue(DEAD_LETTER_QUEUE);
            for (int level = 1; level <= RETRY_LEVELS_TO_DELETE; level++) {
                amqp.deleteQueue(MessagingContract.retryQueue(names(), level));
            }
            amqp.channel().exchangeDelete(DEAD_LETTER_EXCHANGE);
            amqp.channel().exchangeDelete(TOPIC_EXCHANGE);
        } catch (Exception e) {
            System.err.println("could not delete the names of " + PREFIX + ": " + e);
        }
    }
}
