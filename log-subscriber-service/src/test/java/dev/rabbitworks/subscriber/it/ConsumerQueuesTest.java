package dev.rabbitworks.subscriber.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rabbitworks.subscriber.config.SubscriberConfig;
import dev.rabbitworks.subscriber.messaging.LogChannels;
import io.quarkus.test.junit.QuarkusTest;

/** The queues as the broker sees them, with the default settings (no subscription name). */
@QuarkusTest
class ConsumerQueuesTest {

    private final ServiceQueues queues = new ServiceQueues();

    @Inject
    SubscriberConfig config;

    @Test
    void eachChannelConsumesAnExclusiveServerNamedQueue() {
        for (String queue : queues.awaitConsumed(LogChannels.ALL.toArray(String[]::new))) {
            JsonNode info = queues.management().queue(queue);
            assertThat(queue, startsWith("amq.gen-"));
            assertThat(queue + " exclusive", info.path("exclusive").asBoolean(), is(true));
            assertThat(queue + " auto-delete", info.path("auto_delete").asBoolean(), is(true));
            assertThat(queue + " durable", info.path("durable").asBoolean(), is(false));
        }
    }

    @Test
    void theDirectQueueIsBoundWithExactlyTheConfiguredSeverities() {
        String queue = queues.awaitConsumed(LogChannels.DIRECT).get(0);

        assertThat(queues.bindingKeys(queue, Topology.directExchange()),
                containsInAnyOrder(config.severities().toArray()));
    }

    @Test
    void theTopicQueueIsBoundWithExactlyTheConfiguredPatterns() {
        String queue = queues.awaitConsumed(LogChannels.TOPIC).get(0);

        assertThat(queues.bindingKeys(queue, Topology.topicExchange()),
                containsInAnyOrder(config.patterns().toArray()));
    }

    @Test
    void theFanoutQueueIsBoundToTheFanoutExchangeOnce() {
        String queue = queues.awaitConsumed(LogChannels.FANOUT).get(0);

        assertThat(queues.bindingKeys(queue, Topology.fanoutExchange()).size(), is(1));
    }

    @Test
    void consumersAckManuallyWithABoundedPrefetch() {
        for (String queue : queues.awaitConsumed(LogChannels.ALL.toArray(String[]::new))) {
            List<JsonNode> consumers = queues.management().consumers(queue);
            assertThat(consumers.size(), is(1));
            assertThat(consumers.get(0).path("ack_required").asBoolean(), is(true));
            assertThat(consumers.get(0).path("prefetch_count").asInt(), is(100));
        }
    }

    @Test
    void theExchangesAreDeclaredAsTheContractSays() {
        queues.awaitConsumed(LogChannels.ALL.toArray(String[]::new));

        assertExchange(Topology.fanoutExchange(), "fanout");
        assertExchange(Topology.directExchange(), "direct");
        assertExchange(Topology.topicExchange(), "topic");
    }

    private void assertExchange(String name, String type) {
        JsonNode exchange = queues.management().get("/exchanges/" + queues.vhost() + "/" + name);
        assertThat(name + " type", exchange.path("type").asText(), is(type));
        assertThat(name + " durable", exchange.path("durable").asBoolean(), is(true));
        assertThat(name + " auto-delete", exchange.path("auto_delete").asBoolean(), is(false));
        assertThat(name + " arguments", exchange.path("arguments").size(), is(0));
    }
}
