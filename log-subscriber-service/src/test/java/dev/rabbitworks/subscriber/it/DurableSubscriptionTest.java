package dev.rabbitworks.subscriber.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rabbitworks.subscriber.messaging.LogChannels;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** subscriber.subscription-name set, subscriber.fanout=false, subscriber.prefetch=7. */
@QuarkusTest
@TestProfile(DurableSubscriptionProfile.class)
class DurableSubscriptionTest {

    @RegisterExtension
    static final SubscribedService SERVICE = new SubscribedService();

    private static String name() {
        return ConfigProvider.getConfig().getValue("subscriber.subscription-name", String.class);
    }

    @Test
    void theQueuesAreNamedAfterTheSubscriptionDurableAndShared() {
        List<String> consumed = SERVICE.queues().awaitConsumed(LogChannels.DIRECT, LogChannels.TOPIC);

        assertThat(consumed, contains(name() + ".direct", name() + ".topic"));
        for (String queue : consumed) {
            JsonNode info = SERVICE.queues().management().queue(queue);
            assertThat(queue + " durable", info.path("durable").asBoolean(), is(true));
            assertThat(queue + " exclusive", info.path("exclusive").asBoolean(), is(false));
            assertThat(queue + " auto-delete", info.path("auto_delete").asBoolean(), is(false));
        }
    }

    @Test
    void theNamedQueuesAreBoundWithTheConfiguredKeys() {
        assertThat(SERVICE.queues().bindingKeys(name() + ".direct", Topology.directExchange()),
                containsInAnyOrder(Topology.severities().toArray()));
        assertThat(SERVICE.queues().bindingKeys(name() + ".topic", Topology.topicExchange()),
                containsInAnyOrder(Topology.patterns().toArray()));
    }

    @Test
    void theConsumersTakeThePrefetchOfTheSettings() {
        for (String queue : SERVICE.queues().awaitConsumed(LogChannels.DIRECT, LogChannels.TOPIC)) {
            assertThat(queue, SERVICE.queues().management().consumers(queue).get(0).path("prefetch_count").asInt(),
                    is(DurableSubscriptionProfile.PREFETCH));
        }
    }

    @Test
    void withFanoutOffThereIsNoFanoutQueueNorConnection() {
        assertThat(SERVICE.queues().management().queue(name() + ".fanout"), nullValue());
        assertThat(SERVICE.queues().connections(LogChannels.FANOUT), is(empty()));
    }

    @Test
    void withFanoutOffABroadcastIsNotShown() throws Exception {
        // nobody declared the fanout exchange in this virtual host yet, perhaps: declare it as the contract says
        SERVICE.broker().channel().exchangeDeclare(Topology.fanoutExchange(), "fanout", true);
        String unwanted = "fanout while off " + UUID.randomUUID();
        String marker = "direct marker " + UUID.randomUUID();

        SERVICE.publishText(Topology.fanoutExchange(), "", unwanted);
        SERVICE.publishText(Topology.directExchange(), Topology.severities().get(0), marker);

        ShownLogs.awaitBody(marker);
        assertThat(ShownLogs.withBody(unwanted).isPresent(), is(false));
    }
}
