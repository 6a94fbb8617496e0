package dev.rabbitworks.subscriber.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.rabbitmq.client.GetResponse;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class FanoutTest {

    @RegisterExtension
    static final SubscribedService SERVICE = new SubscribedService();

    @Test
    void aBroadcastMessageIsShown() {
        String body = "fanout " + UUID.randomUUID();

        SERVICE.publishText(Topology.fanoutExchange(), "", body);

        Map<String, Object> log = ShownLogs.awaitBody(body);
        assertThat(log, hasEntry("exchange", (Object) Topology.fanoutExchange()));
        assertThat(log, hasEntry("routingKey", (Object) ""));
        assertThat(log.get("receivedAt"), notNullValue());
    }

    @Test
    void everyQueueBoundToTheFanoutGetsItsOwnCopy() {
        String otherQueue = SERVICE.broker().declareBoundQueue(Topology.fanoutExchange(), "");
        String body = "fanout to two " + UUID.randomUUID();

        SERVICE.publishText(Topology.fanoutExchange(), "", body);

        ShownLogs.awaitBody(body);
        GetResponse copy = SERVICE.broker().awaitMessage(otherQueue, Duration.ofSeconds(10));
        assertThat(new String(copy.getBody(), StandardCharsets.UTF_8), equalTo(body));
    }
}
