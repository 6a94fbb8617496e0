package dev.rabbitworks.subscriber.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;

/** GET /logs with subscriber.recent=100 (the default). */
@QuarkusTest
class LogsEndpointTest {

    @RegisterExtension
    static final SubscribedService SERVICE = new SubscribedService();

    /** Publishes {@code count} messages to one queue, in order, waits until the last is shown; oldest first. */
    private static List<String> publishInOrder(int count) {
        List<String> bodies = new ArrayList<>();
        String run = UUID.randomUUID().toString();
        for (int i = 0; i < count; i++) {
            bodies.add("message " + i + " of " + run);
            SERVICE.publishText(Topology.directExchange(), Topology.severities().get(0), bodies.get(i));
        }
        ShownLogs.awaitBody(bodies.get(count - 1));
        return bodies;
    }

    @Test
    void limitReturnsThatManyOfTheMostRecentFirst() {
        List<String> bodies = publishInOrder(3);

        given().queryParam("limit", 2).get("/logs")
                .then().statusCode(200)
                .body("$", hasSize(2))
                .body("[0].body", equalTo(bodies.get(2)))
                .body("[1].body", equalTo(bodies.get(1)));
    }

    @Test
    void withoutLimitTheTwentyMostRecentAreReturnedMostRecentFirst() {
        List<String> bodies = publishInOrder(25);

        given().get("/logs")
                .then().statusCode(200)
                .body("$", hasSize(20))
                .body("[0].body", equalTo(bodies.get(24)))
                .body("[19].body", equalTo(bodies.get(5)));
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
