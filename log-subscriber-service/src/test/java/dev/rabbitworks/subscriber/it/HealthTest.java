package dev.rabbitworks.subscriber.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rabbitworks.subscriber.messaging.ConnectionNameCustomizer;
import dev.rabbitworks.subscriber.messaging.LogChannels;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HealthTest {

    @RegisterExtension
    static final SubscribedService SERVICE = new SubscribedService();

    @Test
    void readinessReportsEverySubscription() {
        given().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks[0].data.fanout", equalTo("[OK]"))
                .body("checks[0].data.direct", equalTo("[OK]"))
                .body("checks[0].data.topic", equalTo("[OK]"));
    }

    @Test
    void everyConnectionIsNamedAfterTheServiceItsSubscriptionAndTheInstance() {
        for (String channel : LogChannels.ALL) {
            List<String> connections = SERVICE.queues().connections(channel);
            assertThat(channel, connections.size(), equalTo(1));
            JsonNode connection = SERVICE.queues().management().get("/connections/" + encode(connections.get(0)));
            String name = connection.path("client_properties").path("connection_name").asText();
            assertThat(name, startsWith(ConnectionNameCustomizer.PREFIX + channel + "@"));
            assertThat(name, not(equalTo(ConnectionNameCustomizer.PREFIX + channel + "@")));
        }
    }

    @Test
    void afterTheBrokerClosesTheConnectionANewQueueIsBoundAndReceives() {
        String before = SERVICE.queues().consumedQueue(LogChannels.DIRECT).orElseThrow();
        String connection = SERVICE.queues().connections(LogChannels.DIRECT).get(0);

        SERVICE.queues().management().closeConnection(connection);

        String after = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> SERVICE.queues().consumedQueue(LogChannels.DIRECT),
                        q -> q.isPresent() && !q.get().equals(before))
                .orElseThrow();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> SERVICE.queues().bindingKeys(after, Topology.directExchange()).size()
                        == Topology.severities().size());
        String body = "after reconnect " + UUID.randomUUID();
        SERVICE.publishText(Topology.directExchange(), Topology.severities().get(0), body);
        ShownLogs.awaitBody(body);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }

    private static String encode(String segment) {
        return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
