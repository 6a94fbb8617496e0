package dev.rabbitworks.rpc.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;

import dev.rabbitworks.testing.AmqpTestClient;
import dev.rabbitworks.testing.ManagementApi;
import io.quarkus.test.junit.QuarkusTest;

/** Health and metrics over HTTP while the broker is there. */
@QuarkusTest
class ServiceEndpointsTest {

    @Test
    void readyAndLiveWhenConnected() {
        await().atMost(Duration.ofSeconds(20)).until(() -> given().get("/q/health/ready").statusCode() == 200);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void metricsCountRequestsByProcedureAndStatus() {
        String rpcQueue = ConfigProvider.getConfig().getValue("topology.rpc-queue", String.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> !ManagementApi.fromConfig().consumers(rpcQueue).isEmpty());
        try (AmqpTestClient client = AmqpTestClient.connect()) {
            String replyQueue = client.declareTemporaryQueue();
            client.publish("", rpcQueue, new AMQP.BasicProperties.Builder().replyTo(replyQueue)
                    .correlationId("metrics").build(), "5".getBytes(StandardCharsets.UTF_8));
            client.awaitMessage(replyQueue, Duration.ofSeconds(10));
        }

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("rpc_requests_total{procedure=\"fib\",status=\"200\""))
                .body(containsString("rpc_compute_seconds_count{procedure=\"fib\""));
    }
}
