package dev.rabbitworks.subscriber.it;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rabbitworks.subscriber.config.SubscriberConfig;
import dev.rabbitworks.subscriber.messaging.ConnectionNaming;
import dev.rabbitworks.subscriber.messaging.LogChannels;
import dev.rabbitworks.testing.AmqpTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** subscriber.subscription-name set and subscriber.fanout=false. */
@QuarkusTest
@TestProfile(DurableSubscriptionProfile.class)
class DurableSubscriptionTest {

    private static AmqpTestClient broker;
    private final ServiceQueues queues = new ServiceQueues();

    @Inject
    SubscriberConfig config;

    @BeforeAll
    static void connect() {
        broker = AmqpTestClient.connect();
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    private String name() {
        return config.subscriptionName().orElseThrow();
    }

    @BeforeEach
    void serviceIsConsuming() {
        queues.awaitConsumed(LogChannels.DIRECT, LogChannels.TOPIC);
    }

    @Test
    void theQueuesAreNamedAfterTheSubscriptionDurableAndShared() {
        List<String> consumed = queues.awaitConsumed(LogChannels.DIRECT, LogChannels.TOPIC);

        assertThat(consumed, contains(name() + ".direct",
                name() + ".topic"));
        for (String queue : consumed) {
            JsonNode info = queues.management().queue(queue);
            assertThat(queue + " durable", info.path("durable").asBoolean(), is(true));
            assertThat(queue + " exclusive", info.path("exclusive").asBoolean(), is(false));
            assertThat(queue + " auto-delete", info.path("auto_delete").asBoolean(), is(false));
        }
    }

    @Test
    void theNamedQueuesAreBoundWithTheConfiguredKeys() {
        assertThat(queues.bindingKeys(name() + ".direct", Topology.directExchange()),
                containsInAnyOrder(config.severities().toArray()));
        assertThat(queues.bindingKeys(name() + ".topic", Topology.topicExchange()),
                containsInAnyOrder(config.patterns().toArray()));
    }

    @Test
    void withFanoutOffThereIsNoFanoutQueueNorConnection() {
        assertThat(queues.management().queue(name() + ".fanout"), nullValue());
        assertThat(queues.management().connectionNames(ConnectionNaming.connectionName(LogChannels.FANOUT)),
                is(empty()));
    }

    @Test
    void withFanoutOffABroadcastIsNotShown() throws Exception {
        // the exchange may not exist yet in a fresh virtual host: declare it as the contract says
        broker.channel().exchangeDeclare(Topology.fanoutExchange(), "fanout", true);
        String unwanted = "fanout while off " + UUID.randomUUID();
        String marker = "direct marker " + UUID.randomUUID();

        broker.publishText(Topology.fanoutExchange(), "", unwanted);
        broker.publishText(Topology.directExchange(), config.severities().get(0), marker);

        ShownLogs.awaitBody(marker);
        assertThat(ShownLogs.withBody(unwanted).isPresent(), is(false));
    }

    @Test
    void afterSomeoneDeletesTheQueueItIsDeclaredBoundAndConsumedAgain() {
        String queue = name() + ".direct";

        broker.deleteQueue(queue);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> queues.management().queue(queue) != null
                        && queues.bindingKeys(queue, Topology.directExchange()).size() == config.severities().size()
                        && queues.management().consumers(queue).size() == 1);
        String body = "after the queue was deleted " + UUID.randomUUID();
        broker.publishText(Topology.directExchange(), config.severities().get(0), body);
        ShownLogs.awaitBody(body);
    }
}
