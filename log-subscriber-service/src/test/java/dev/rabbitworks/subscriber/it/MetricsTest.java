package dev.rabbitworks.subscriber.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class MetricsTest {

    @RegisterExtension
    static final SubscribedService SERVICE = new SubscribedService();

    @Test
    void everyReceivedMessageIsCountedByItsExchange() {
        double before = received(Topology.fanoutExchange());

        SERVICE.publishText(Topology.fanoutExchange(), "", "counted " + UUID.randomUUID());

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> received(Topology.fanoutExchange()) == before + 1);
    }

    /** subscriber_messages_received_total{exchange=...} as Prometheus scrapes it; 0 before the first message. */
    private static double received(String exchange) {
        String series = "subscriber_messages_received_total{exchange=\"" + exchange + "\"} ";
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith(series))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length()).trim()))
                .findFirst().orElse(0);
    }
}
