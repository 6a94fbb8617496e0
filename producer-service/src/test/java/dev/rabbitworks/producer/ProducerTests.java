package dev.rabbitworks.producer;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;

import dev.rabbitworks.testing.AmqpTestClient;
import dev.rabbitworks.testing.BrokerSettings;
import dev.rabbitworks.testing.ManagementApi;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** Shared steps of the producer's tests. */
public final class ProducerTests {

    public static final String PROBLEM_JSON = "application/problem+json";

    private ProducerTests() {
    }

    /**
     * A request sent as curl would: the content type exactly as given (RestAssured otherwise appends
     * "charset=ISO-8859-1" to text/plain, which this service refuses: text is UTF-8), UTF-8 bodies.
     */
    public static RequestSpecification request() {
        return given().config(RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()
                .appendDefaultContentCharsetToContentTypeIfUndefined(false)
                .defaultContentCharset(StandardCharsets.UTF_8)));
    }

    /** Waits until the producer is connected with its channels open (a previous test may have cut the connection). */
    public static void awaitReady() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    /**
     * Consumes {@code queue} (declared durable, as the contract says) and answers every request at once with
     * status 200 and {@code reply}: an rpc-service stand-in for tests about the producer.
     */
    public static void answerRpcRequests(AmqpTestClient amqp, String queue, String reply) throws IOException {
        Channel channel = amqp.channel();
        channel.queueDeclare(queue, true, false, false, null);
        channel.basicConsume(queue, true, (tag, delivery) -> channel.basicPublish("",
                delivery.getProperties().getReplyTo(), new AMQP.BasicProperties.Builder()
                        .correlationId(delivery.getProperties().getCorrelationId())
                        .contentType("text/plain").headers(Map.of("status", 200)).build(),
                reply.getBytes(StandardCharsets.UTF_8)), tag -> {
                });
    }

    /** The response is a problem body for {@code status}. */
    public static ValidatableResponse assertProblem(ValidatableResponse response, int status) {
        return response.statusCode(status)
                .contentType(startsWith(PROBLEM_JSON))
                .body("status", equalTo(status))
                .body("type", not(emptyOrNullString()))
                .body("title", not(emptyOrNullString()))
                .body("detail", not(emptyOrNullString()));
    }

    /**
     * Every publish of a client's message the producer attempted so far, whatever its outcome. Not counted: the
     * task.accepted events, which follow accepted tasks and may be confirmed while a later request is answered.
     */
    public static double publishAttempts(MeterRegistry registry) {
        return registry.find("producer.publishes").counters().stream()
                .filter(counter -> !"event".equals(counter.getId().getTag("target")))
                .mapToDouble(Counter::count).sum();
    }

    /** The broker's names of the producer's connections in the test vhost. */
    public static List<String> producerConnections(ManagementApi management) {
        String vhost = URLEncoder.encode(BrokerSettings.fromConfig().virtualHost(), StandardCharsets.UTF_8)
                .replace("+", "%20");
        List<String> names = new ArrayList<>();
        JsonNode connections = management.get("/vhosts/" + vhost + "/connections");
        if (connections != null) {
            for (JsonNode connection : connections) {
                if (connection.path("client_properties").path("connection_name").asText("")
                        .startsWith("producer-service ")) {
                    names.add(connection.path("name").asText());
                }
            }
        }
        return names;
    }
}
