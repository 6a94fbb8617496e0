package dev.rabbitworks.subscriber.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.ConfigProvider;

/** Reads GET /logs the way a user would. */
public final class ShownLogs {

    private ShownLogs() {
    }

    /** Everything the service keeps, the most recent first. */
    public static List<Map<String, Object>> all() {
        int recent = ConfigProvider.getConfig().getValue("subscriber.recent", Integer.class);
        return given().queryParam("limit", recent).get("/logs")
                .then().statusCode(200)
                .extract().jsonPath().getList("$");
    }

    public static Optional<Map<String, Object>> withBody(String body) {
        return all().stream().filter(log -> body.equals(log.get("body"))).findFirst();
    }

    /** Waits until a message with exactly this body shows in GET /logs and returns it. */
    public static Map<String, Object> awaitBody(String body) {
        return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> withBody(body), Optional::isPresent)
                .orElseThrow();
    }
}
