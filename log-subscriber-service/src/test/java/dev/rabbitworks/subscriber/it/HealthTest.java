package dev.rabbitworks.subscriber.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.rabbitworks.subscriber.config.SubscriberConfig;
import dev.rabbitworks.subscriber.messaging.ConnectionNaming;
import dev.rabbitworks.subscriber.messaging.LogChannels;
import dev.rabbitworks.testing.AmqpTestClient;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HealthTest {

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

    @BeforeEach
    void serviceIsConsuming() {
        queues.awaitConsumed(LogChannels.ALL.toArray(String[]::new));
    }

    @Test
    void readinessReportsEveryChannel() {
        given().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body(allOf(containsString("\"fanout\""), containsString("\"direct\""), containsString("\"topic\"")));
    }

    @Test
    void livenessDoesNotDependOnTheBroker() {
        given().get("/q/health/live")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body(not(containsString("\"direct\"")));
    }

    @Test
    void everyConnectionIsNamedAfterTheServiceAndItsChannel() {
        for (String channel : LogChannels.ALL) {
            List<String> connections = queues.management().connectionNames(ConnectionNaming.connectionName(channel));
            assertThat(channel, connections.size(), equalTo(1));
        }
    }

    @Test
    void afterTheBrokerClosesTheConnectionANewQueueIsBoundAndReceives() {
        String before = queues.consumedQueue(LogChannels.DIRECT).orElseThrow();
        String connection = queues.management()
                .connectionNames(ConnectionNaming.connectionName(LogChannels.DIRECT)).get(0);

        queues.management().closeConnection(connection);

        String after = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> queues.consumedQueue(LogChannels.DIRECT), q -> q.isPresent() && !q.get().equals(before))
                .orElseThrow();
        assertThat(queues.bindingKeys(after, Topology.directExchange()).size(), equalTo(config.severities().size()));
        String body = "after reconnect " + UUID.randomUUID();
        broker.publishText(Topology.directExchange(), config.severities().get(0), body);
        ShownLogs.awaitBody(body);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
