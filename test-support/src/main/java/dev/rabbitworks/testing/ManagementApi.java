package dev.rabbitworks.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The broker's management HTTP API: what the broker itself says about queues, consumers and connections. */
public final class ManagementApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String authorization;
    private final String vhost;

    public ManagementApi(BrokerSettings settings) {
        this.baseUrl = "http://" + settings.host() + ":" + settings.managementPort() + "/api";
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((settings.username() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
        this.vhost = encode(settings.virtualHost());
    }

    public static ManagementApi fromConfig() {
        return new ManagementApi(BrokerSettings.fromConfig());
    }

    /** The queue as the broker reports it, or null when it does not exist. */
    public JsonNode queue(String name) {
        return get("/queues/" + vhost + "/" + encode(name));
    }

    public long readyMessages(String queue) {
        JsonNode q = queue(queue);
        return q == null ? 0 : q.path("messages_ready").asLong();
    }

    public long unackedMessages(String queue) {
        JsonNode q = queue(queue);
        return q == null ? 0 : q.path("messages_unacknowledged").asLong();
    }

    /** Consumers of a queue, with prefetch_count and ack_required. */
    public List<JsonNode> consumers(String queue) {
        List<JsonNode> result = new ArrayList<>();
        JsonNode all = get("/consumers/" + vhost);
        if (all != null) {
            for (JsonNode consumer : all) {
                if (queue.equals(consumer.path("queue").path("name").asText())) {
                    result.add(consumer);
                }
            }
        }
        return result;
    }

    /**
     * Connections to this virtual host whose client-provided name starts with {@code prefix} (other
     * virtual hosts on a shared broker are not ours to count).
     */
    public List<String> connectionNames(String clientNamePrefix) {
        List<String> names = new ArrayList<>();
        JsonNode all = get("/vhosts/" + vhost + "/connections");
        if (all != null) {
            for (JsonNode connection : all) {
                String clientName = connection.path("client_properties").path("connection_name").asText("");
                if (clientName.startsWith(clientNamePrefix)) {
                    names.add(connection.path("name").asText());
                }
            }
        }
        return names;
    }

    /** All connection names of this virtual host, as the broker lists them. */
    public List<String> connectionNames() {
        return connectionNames("");
    }

    public void closeConnection(String name) {
        send(HttpRequest.newBuilder(URI.create(baseUrl + "/connections/" + encode(name)))
                .header("X-Reason", "closed by test").DELETE());
    }

    public JsonNode get(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
        if (response.statusCode() == 404) {
            return null;
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("unreadable management answer for " + path, e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.header("Authorization", authorization)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400 && response.statusCode() != 404) {
                throw new IllegalStateException("management API answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response;
        } catch (IOException e) {
            throw new IllegalStateException("management API unreachable at " + baseUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
