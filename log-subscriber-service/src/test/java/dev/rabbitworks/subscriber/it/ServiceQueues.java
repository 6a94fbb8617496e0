package dev.rabbitworks.subscriber.it;

import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rabbitworks.subscriber.messaging.ConnectionNameCustomizer;
import dev.rabbitworks.testing.BrokerSettings;
import dev.rabbitworks.testing.ManagementApi;

/** What the broker says about the service's own queues: found through its named connections. */
public final class ServiceQueues {

    private final ManagementApi management = ManagementApi.fromConfig();
    private final String vhost = encode(BrokerSettings.fromConfig().virtualHost());

    public ManagementApi management() {
        return management;
    }

    /** The virtual host, encoded for management API paths. */
    public String vhost() {
        return vhost;
    }

    /** The broker's names of the service's connections for {@code channel} (named "service/channel@instance"). */
    public List<String> connections(String channel) {
        return management.connectionNames(ConnectionNameCustomizer.PREFIX + channel + "@");
    }

    /** The queue the service consumes for {@code channel}, if it consumes one right now. */
    public Optional<String> consumedQueue(String channel) {
        List<String> connections = connections(channel);
        JsonNode consumers = management.get("/consumers/" + vhost);
        if (consumers == null) {
            return Optional.empty();
        }
        for (JsonNode consumer : consumers) {
            if (connections.contains(consumer.path("channel_details").path("connection_name").asText())) {
                return Optional.of(consumer.path("queue").path("name").asText());
            }
        }
        return Optional.empty();
    }

    /** Waits until the service consumes a queue for each of {@code channels}; returns them in order. */
    public List<String> awaitConsumed(String... channels) {
        List<String> queues = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            queues.clear();
            for (String channel : channels) {
                consumedQueue(channel).ifPresent(queues::add);
            }
            return queues.size() == channels.length;
        });
        return queues;
    }

    /** The binding keys from {@code exchange} to {@code queue}. */
    public List<String> bindingKeys(String queue, String exchange) {
        List<String> keys = new ArrayList<>();
        JsonNode bindings = management.get("/queues/" + vhost + "/" + encode(queue) + "/bindings");
        if (bindings != null) {
            for (JsonNode binding : bindings) {
                if (exchange.equals(binding.path("source").asText())) {
                    keys.add(binding.path("routing_key").asText());
                }
            }
        }
        return keys;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
