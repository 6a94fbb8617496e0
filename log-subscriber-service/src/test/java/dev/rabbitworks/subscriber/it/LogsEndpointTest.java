package dev.rabbitworks.subscriber.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.rabbitworks.subscriber.config.SubscriberConfig;
import dev.rabbitworks.subscriber.messaging.LogChannels;
import dev.rabbitworks.testing.AmqpTestClient;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class LogsEndpointTest {

    private static AmqpTestClient broker;

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
        new ServiceQueues().awaitConsumed(LogChannels.ALL.toArray(String[]::new));
    }

    @Test
    void limitReturnsThatManyOfTheMostRecentFirst() {
        String older = "older " + UUID.randomUUID();
        String newer = "newer " + UUID.randomUUID();
        String severity = config.severities().get(0);
        broker.publishText(Topology.directExchange(), severity, older);
        broker.publishText(Topology.directExchange(), severity, newer);
        ShownLogs.awaitBody(newer);

        given().queryParam("limit", 2).get("/logs")
                .then().statusCode(200)
                .body("$", hasSize(2))
                .body("[0].body", equalTo(newer))
                .body("[1].body", equalTo(older));
    }

    @Test
    void withoutLimitAtMostTwentyAreReturned() {
        given().get("/logs")
                .then().statusCode(200)
                .body("size()", lessThanOrEqualTo(20));
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "-1", "101", "ten", "1.5" })
    void aBadLimitIsAProblem(String limit) {
        given().queryParam("limit", limit).get("/logs")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", equalTo("Bad Request"))
                .body("detail", containsString("between 1 and 100"));
    }
}
