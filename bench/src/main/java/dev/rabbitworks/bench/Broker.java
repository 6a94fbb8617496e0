package dev.rabbitworks.bench;

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
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/** The broker under test: its management API (vhost, cleanup) and an AMQP connection (prefill, queue depth). */
final class Broker implements AutoCloseable {

    final String host;
    final int port;
    final int managementPort;
    final String username;
    final String password;
    final String vhost;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private Connection connection;
    private Channel channel;

    Broker(String host, int port, int managementPort, String username, String password, String vhost) {
        this.host = host;
        this.port = port;
        this.managementPort = managementPort;
        this.username = username;
        this.password = password;
        this.vhost = vhost;
    }

    static Broker fromEnvironment() {
        return new Broker(env("RABBITMQ_HOST", "localhost"), Integer.parseInt(env("RABBITMQ_PORT", "5672")),
                Integer.parseInt(env("RABBITMQ_HTTP_PORT", "15672")), env("RABBITMQ_USERNAME", "guest"),
                env("RABBITMQ_PASSWORD", "guest"), env("BENCH_VHOST", "bench"));
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    /** amqp://user:pass@host:port/vhost, as PerfTest takes it. */
    String uri() {
        return "amqp://" + enc(username) + ":" + enc(password) + "@" + host + ":" + port + "/" + enc(vhost);
    }

    String version() {
        return get("/overview").path("rabbitmq_version").asText("?");
    }

    /** Creates the bench's virtual host (if needed) with all permissions for our user, then empties it. */
    void prepareVhost() {
        send("PUT", "/vhosts/" + enc(vhost), "{}");
        send("PUT", "/permissions/" + enc(vhost) + "/" + enc(username),
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
        deleteAllQueues();
    }

    /** Deletes every queue of the bench's virtual host: each scenario starts from an empty broker. */
    void deleteAllQueues() {
        for (JsonNode queue : get("/queues/" + enc(vhost) + "?columns=name")) {
            send("DELETE", "/queues/" + enc(vhost) + "/" + enc(queue.path("name").asText()), null);
        }
    }

    void deleteQueue(String name) {
        send("DELETE", "/queues/" + enc(vhost) + "/" + enc(name), null);
    }

    /** Removes every ready message of a queue, if it exists. */
    void purge(String queue) {
        send("DELETE", "/queues/" + enc(vhost) + "/" + enc(queue) + "/contents", null);
    }

    void deleteExchange(String name) {
        send("DELETE", "/exchanges/" + enc(vhost) + "/" + enc(name), null);
    }

    /** Ready messages in a queue (passive declare): what is left to deliver. */
    long ready(String queue) throws IOException {
        return channel().queueDeclarePassive(queue).getMessageCount();
    }

    /** Publishes {@code count} copies of {@code body} persistently, confirmed in bursts of 500. */
    void fill(String queue, int count, byte[] body, String contentType) throws IOException, InterruptedException,
            TimeoutException {
        Channel ch = channel();
        ch.confirmSelect();
        for (int i = 0; i < count; i++) {
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().deliveryMode(2)
                    .contentType(contentType).messageId(java.util.UUID.randomUUID().toString()).build();
            ch.basicPublish("", queue, properties, body);
            if (i % 500 == 499) {
                ch.waitForConfirmsOrDie(30_000);
            }
        }
        ch.waitForConfirmsOrDie(30_000);
    }

    /** Names of the queues bound to an exchange. */
    List<String> boundQueues(String exchange) {
        List<String> names = new ArrayList<>();
        for (JsonNode binding : get("/exchanges/" + enc(vhost) + "/" + enc(exchange) + "/bindings/source")) {
            if ("queue".equals(binding.path("destination_type").asText())) {
                names.add(binding.path("destination").asText());
            }
        }
        return names;
    }

    synchronized Connection connection() throws IOException {
        if (connection == null || !connection.isOpen()) {
            ConnectionFactory factory = factory();
            try {
                connection = factory.newConnection("bench-harness");
            } catch (TimeoutException e) {
                throw new IOException(e);
            }
        }
        return connection;
    }

    ConnectionFactory factory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(vhost);
        return factory;
    }

    private synchronized Channel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = connection().createChannel();
        }
        return channel;
    }

    JsonNode get(String path) {
        try {
            HttpResponse<String> response = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("management API unreachable at " + host + ":" + managementPort + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void send(String method, String path, String body) {
        try {
            HttpRequest.Builder builder = request(path).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300 && response.statusCode() != 404) {
                throw new IllegalStateException(method + " " + path + ": HTTP " + response.statusCode() + " "
                        + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("management API unreachable at " + host + ":" + managementPort + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        String auth = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create("http://" + host + ":" + managementPort + "/api" + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Basic " + auth);
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        try {
            if (connection != null) {
                connection.close(5_000);
            }
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
    }
}
