package dev.rabbitworks.worker.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HealthAndMetricsTest {

    @Test
    void isReadyWhileConsumingTheTaskQueue() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> given()
                .when().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.name", hasItem("task-queue-consumer"))
                .body("status", is("UP")));
    }

    @Test
    void isLive() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void exportsTheTaskMetrics() {
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("worker_tasks_completed_total"))
                .body(containsString("worker_tasks_failed_total"))
                .body(containsString("worker_tasks_in_progress"))
                .body(containsString("worker_task_duration_seconds"));
    }
}
