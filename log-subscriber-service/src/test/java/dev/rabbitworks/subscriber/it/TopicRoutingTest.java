package dev.rabbitworks.subscriber.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;

/** With the default patterns task.*, *.error, *.critical and kern.#. */
@QuarkusTest
class TopicRoutingTest {

    @RegisterExtension
    static final SubscribedService SERVICE = new SubscribedService();

    @BeforeEach
    void theDefaultPatterns() {
        assertThat(Topology.patterns(), hasItems("task.*", "kern.#", "*.critical"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "task.completed", "kern", "kern.disk.full", "auth.critical" })
    void aKeyMatchingAPatternIsShown(String routingKey) {
        String body = "topic " + routingKey + " " + UUID.randomUUID();

        SERVICE.publishText(Topology.topicExchange(), routingKey, body);

        assertThat(ShownLogs.awaitBody(body), hasEntry("routingKey", (Object) routingKey));
    }

    @ParameterizedTest
    @ValueSource(strings = { "auth.info", "task.completed.late", "critical", "kernel.panic" })
    void aKeyMatchingNoPatternIsNotShown(String routingKey) {
        String unwanted = "topic unwanted " + routingKey + " " + UUID.randomUUID();
        String marker = "topic marker " + UUID.randomUUID();

        SERVICE.publishText(Topology.topicExchange(), routingKey, unwanted);
        SERVICE.publishText(Topology.topicExchange(), "auth.critical", marker);

        ShownLogs.awaitBody(marker);
        assertThat(ShownLogs.withBody(unwanted).isPresent(), is(false));
    }
}
