package dev.rabbitworks.subscriber.it;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rabbitworks.subscriber.messaging.LogChannels;
import io.quarkus.test.junit.QuarkusTest;

/** The queues as the broker sees them, with the default settings (no subscription name). */
@QuarkusTest
class ConsumerQueuesTest {

    @RegisterExtension
    static final SubscribedService SERVICE = new SubscribedService();

    @Test
    void eachChannelConsumesAnExclusiveServerNamedQueue() {
        for (String queue : SERVICE.queues().awaitConsumed(LogChannels.ALL.toArray(String[]::new))) {
            JsonNode info = SERVICE.queues().management().queue(queue);
            assertThat(queue, startsWith("amq.gen-"));
            assertThat(queue + " exclusive", info.path("exclusive").asBoolean(), is(true));
            assertThat(queue + " auto-delete", info.path("auto_delete").asBoolean(), is(true));
            assertThat(queue + " durable", info.path("durable").asBoolean(), is(false));
        }
    }

    @Test
    void theDirectQueueIsBoundWithExactlyTheConfiguredSeverities() {
        String queue = SERVICE.queues().awaitConsumed(LogChannels.DIRECT).get(0);

        assertThat(SERVICE.queues().bindingKeys(queue, Topology.directExchange()),
                containsInAnyOrder(Topology.severities().toArray()));
    }

    @Test
    void theTopicQueueIsBoundWithExactlyTheConfiguredPatterns() {
        String queue = SERVICE.queues().awaitConsumed(LogChannels.TOPIC).get(0);

        assertThat(SERVICE.queues().bindingKeys(queue, Topology.topicExchange()),
                containsInAnyOrder(Topology.patterns().toArray()));
    }

    @Test
    void theFanoutQueueIsBoundToTheFanoutExchangeOnce() {
        String queue = SERVICE.queues().awaitConsumed(LogChannels.FANOUT).get(0);

        assertThat(SERVICE.queues().bindingKeys(queue, Topology.fanoutExchange()).size(), is(1));
    }

    @Test
    void consumersAckManuallyWithThePrefetchOfTheSettings() {
        int prefetch = ConfigProvider.getConfig().getValue("subscriber.prefetch", Integer.class);
        for (String queue : SERVICE.queues().awaitConsumed(LogChannels.ALL.toArray(String[]::new))) {
            List<JsonNode> consumers = SERVICE.queues().management().consumers(queue);
            assertThat(consumers.size(), is(1));
            assertThat(consumers.get(0).path("ack_required").asBoolean(), is(true));
            assertThat(consumers.get(0).path("prefetch_count").asInt(), is(prefetch));
        }
    }

    @Test
    void everyShownMessageIsAcked() {
        String queue = SERVICE.queues().awaitConsumed(LogChannels.FANOUT).get(0);
        String body = "acked once shown " + UUID.randomUUID();

        SERVICE.publishText(Topology.fanoutExchange(), "", body);
        ShownLogs.awaitBody(body);

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> SERVICE.queues().management().queue(queue).path("messages").asLong(-1) == 0);
    }

    @Test
    void theExchangesAreDeclaredAsTheContractSays() {
        assertExchange(Topology.fanoutExchange(), "fanout");
        assertExchange(Topology.directExchange(), "direct");
        assertExchange(Topology.topicExchange(), "topic");
    }

    private void assertExchange(String name, String type) {
        JsonNode exchange = SERVICE.queues().management().get("/exchanges/" + SERVICE.queues().vhost() + "/" + name);
        assertThat(name + " type", exchange.path("type").asText(), is(type));
        assertThat(name + " durable", exchange.path("durable").asBoolean(), is(true));
        assertThat(name + " auto-delete", exchange.path("auto_delete").asBoolean(), is(false));
        assertThat(name + " arguments", exchange.path("arguments").size(), is(0));
    }
}
