package dev.rabbitworks.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rabbitworks.testing.BrokerSettings;

/** The management API calls test-support's ManagementApi does not make: create and delete, as the administrator. */
final class BrokerAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final BrokerSettings settings;

    BrokerAdmin(BrokerSettings settings) {
        this.settings = settings;
    }

    /** The broker the tests use: RABBITMQ_* as the services read them, defaults for a local broker. */
    static BrokerSettings settingsFromEnvironment() {
        return new BrokerSettings(env("RABBITMQ_HOST", "localhost"), Integer.parseInt(env("RABBITMQ_PORT", "5672")),
                env("RABBITMQ_USERNAME", "guest"), env("RABBITMQ_PASSWORD", "guest"),
                env("RABBITMQ_VIRTUAL_HOST", "/"), Integer.parseInt(env("RABBITMQ_HTTP_PORT", "15672")));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    String baseUrl() {
        return "http://" + settings.host() + ":" + settings.managementPort();
    }

    JsonNode get(String path) {
        HttpResponse<String> response = send("GET", path, null);
        if (response.statusCode() == 404) {
            return null;
        }
        check(response, "GET", path);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void put(String path, String json) {
        check(send("PUT", path, json), "PUT", path);
    }

    /** Deletes; a missing object is fine. */
    void delete(String path) {
        HttpResponse<String> response = send("DELETE", path, null);
        if (response.statusCode() != 404) {
            check(response, "DELETE", path);
        }
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void check(HttpResponse<String> response, String method, String path) {
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
    }

    private HttpResponse<String> send(String method, String path, String json) {
        String credentials = settings.username() + ":" + settings.password();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/api" + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("the management API at " + baseUrl() + " does not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
