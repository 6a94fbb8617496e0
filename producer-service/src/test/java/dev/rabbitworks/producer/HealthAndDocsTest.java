package dev.rabbitworks.producer;

import static dev.rabbitworks.producer.ProducerTests.request;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Health, metrics and API documentation as operators and clients see them. */
@QuarkusTest
class HealthAndDocsTest {

    @Test
    void readyAndLiveWithTheBroker() {
        ProducerTests.awaitReady();
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("rabbitmq"))
                .body("checks.find { it.name == 'rabbitmq' }.data.connected", equalTo(true));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void metricsCountPublishesByOutcome() {
        ProducerTests.awaitReady();
        request().contentType("text/plain").body("counted").post("/logs/metrics-test").then().statusCode(202);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("producer_publishes_total{outcome=\"returned\",target=\"direct\"}"))
                .body(containsString("producer_publish_latency_seconds_count{target=\"direct\"}"))
                .body(containsString("producer_rpc_pending"));
    }

    @Test
    void openApiAndSwaggerUiAreServed() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/tasks"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
