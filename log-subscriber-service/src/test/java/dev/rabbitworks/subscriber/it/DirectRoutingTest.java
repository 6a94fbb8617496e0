package dev.rabbitworks.subscriber.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.is;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.junit.QuarkusTest;

/** With the default severities error and warning. */
@QuarkusTest
class DirectRoutingTest {

    @RegisterExtension
    static final SubscribedService SERVICE = new SubscribedService();

    @Test
    void everyConfiguredSeverityIsShown() {
        for (String severity : Topology.severities()) {
            String body = "direct " + severity + " " + UUID.randomUUID();

            SERVICE.publishText(Topology.directExchange(), severity, body);

            Map<String, Object> log = ShownLogs.awaitBody(body);
            assertThat(log, hasEntry("exchange", (Object) Topology.directExchange()));
            assertThat(log, hasEntry("routingKey", (Object) severity));
        }
    }

    @Test
    void anUnconfiguredSeverityIsNotShown() {
        String unconfigured = "debug";
        assertThat(Topology.severities().contains(unconfigured), is(false));
        String unwanted = "direct unwanted " + UUID.randomUUID();
        String marker = "direct marker " + UUID.randomUUID();

        SERVICE.publishText(Topology.directExchange(), unconfigured, unwanted);
        SERVICE.publishText(Topology.directExchange(), Topology.severities().get(0), marker);

        ShownLogs.awaitBody(marker);
        assertThat(ShownLogs.withBody(unwanted).isPresent(), is(false));
    }
}
