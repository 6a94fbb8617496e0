package dev.rabbitworks.system.support;

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

/** The broker's management HTTP API, as the administrator: virtual hosts, connections, queues. */
public final class BrokerAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final String baseUrl;
    private final String authorization;
    private final String username;

    public BrokerAdmin(TestBroker.Endpoint endpoint) {
        this.baseUrl = "http://" + endpoint.host() + ":" + endpoint.managementPort() + "/api";
        this.username = endpoint.username();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (endpoint.username() + ":" + endpoint.password()).getBytes(StandardCharsets.UTF_8));
    }

    /** Creates a virtual host with all permissions for the administrator; false when not allowed. */
    public boolean createVhost(String vhost) {
        HttpResponse<String> created = send("PUT", "/vhosts/" + encode(vhost), "{}");
        if (created.statusCode() >= 300) {
            return false;
        }
        HttpResponse<String> permitted = send("PUT", "/permissions/" + encode(vhost) + "/" + encode(username),
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
        return permitted.statusCode() < 300;
    }

    public void deleteVhost(String vhost) {
        send("DELETE", "/vhosts/" + encode(vhost), null);
    }

    /** The queue as the management API reports it (its statistics are refreshed every few seconds), or null. */
    public JsonNode queue(String vhost, String queue) {
        return get("/queues/" + encode(vhost) + "/" + encode(queue));
    }

    /** Connections in a virtual host whose client-provided name starts with {@code prefix}: their broker names. */
    public List<String> connections(String vhost, String prefix) {
        List<String> names = new ArrayList<>();
        JsonNode all = get("/vhosts/" + encode(vhost) + "/connections");
        if (all != null) {
            for (JsonNode connection : all) {
                String clientName = connection.path("client_properties").path("connection_name").asText("");
                if (clientName.startsWith(prefix)) {
                    names.add(connection.path("name").asText());
                }
            }
        }
        return names;
    }

    /** Closes a connection from the broker side, as an operator would (DELETE /api/connections/{name}). */
    public void closeConnection(String name) {
        HttpResponse<String> response = send("DELETE", "/connections/" + encode(name), null);
        if (response.statusCode() >= 300 && response.statusCode() != 404) {
            throw new IllegalStateException("closing " + name + ": " + response.statusCode() + " " + response.body());
        }
    }

    public JsonNode get(String path) {
        HttpResponse<String> response = send("GET", path, null);
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("GET " + path + ": " + response.statusCode() + " " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("management API unreachable at " + baseUrl + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
