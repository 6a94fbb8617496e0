package dev.rabbitworks.subscriber.it;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rabbitworks.subscriber.logs.LiveLogs;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class LogStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SubscribedService SERVICE = new SubscribedService();

    @TestHTTPResource("/logs/stream")
    URI streamUri;

    @Inject
    LiveLogs live;

    @Test
    void aMessagePublishedAfterSubscribingIsStreamedAsJson() throws Exception {
        String body = "streamed " + UUID.randomUUID();

        try (SseLines stream = SseLines.open(streamUri)) {
            await().atMost(Duration.ofSeconds(10)).until(live::listeners, greaterThan(0));
            SERVICE.publishText(Topology.topicExchange(), "task.completed", body);

            JsonNode event = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> eventWithBody(stream, body), Optional::isPresent).orElseThrow();
            assertThat(event.path("exchange").asText(), equalTo(Topology.topicExchange()));
            assertThat(event.path("routingKey").asText(), equalTo("task.completed"));
        }
    }

    private static Optional<JsonNode> eventWithBody(SseLines stream, String body) throws Exception {
        for (String data : stream.data()) {
            JsonNode event = JSON.readTree(data);
            if (body.equals(event.path("body").asText())) {
                return Optional.of(event);
            }
        }
        return Optional.empty();
    }
}
