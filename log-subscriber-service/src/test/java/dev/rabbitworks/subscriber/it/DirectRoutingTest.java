package dev.rabbitworks.subscriber.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.is;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.rabbitworks.subscriber.config.SubscriberConfig;
import dev.rabbitworks.subscriber.messaging.LogChannels;
import dev.rabbitworks.testing.AmqpTestClient;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class DirectRoutingTest {

    private static AmqpTestClient broker;

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

    @BeforeEach
    void serviceIsConsuming() {
        new ServiceQueues().awaitConsumed(LogChannels.ALL.toArray(String[]::new));
    }

    @Test
    void aConfiguredSeverityIsShown() {
        String severity = config.severities().get(0);
        String body = "direct " + UUID.randomUUID();

        broker.publishText(Topology.directExchange(), severity, body);

        Map<String, Object> log = ShownLogs.awaitBody(body);
        assertThat(log, hasEntry("exchange", (Object) Topology.directExchange()));
        assertThat(log, hasEntry("routingKey", (Object) severity));
    }

    @Test
    void anUnconfiguredSeverityIsNotShown() {
        String unconfigured = "debug";
        assertThat(config.severities().contains(unconfigured), is(false));
        String unwanted = "direct unwanted " + UUID.randomUUID();
        String marker = "direct marker " + UUID.randomUUID();

        broker.publishText(Topology.directExchange(), unconfigured, unwanted);
        broker.publishText(Topology.directExchange(), config.severities().get(0), marker);

        ShownLogs.awaitBody(marker);
        assertThat(ShownLogs.withBody(unwanted).isPresent(), is(false));
    }
}
