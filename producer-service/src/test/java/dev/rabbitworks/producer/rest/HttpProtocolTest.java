package dev.rabbitworks.producer.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.rabbitworks.producer.ProducerTests;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Requests that are not proper HTTP/1.x are refused with a problem body and cost their sender only: the
 * connection is closed, nothing is published, nothing is logged as an error, no metric series is made of them.
 */
@QuarkusTest
class HttpProtocolTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/")
    URI root;

    private final ErrorLogCounter errors = new ErrorLogCounter();
    private double publishesBefore;

    @BeforeEach
    void record() {
        ProducerTests.awaitReady();
        publishesBefore = ProducerTests.publishAttempts(registry);
        errors.start();
    }

    @AfterEach
    void stop() {
        errors.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = { "HTTP/0.9", "HTTP/2.0", "HTTP/9.9", "http/1.1", "HTTP/1.2", "FOO/1.1" })
    void anotherVersionIs400AndTheConnectionIsClosed(String version) throws IOException {
        RawHttp.Answer answer = RawHttp.send(root, "POST /broadcast " + version + "\r\nHost: x\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi", WAIT);

        assertEquals(400, answer.status(), answer.text());
        assertTrue(answer.text().contains(ProducerTests.PROBLEM_JSON), answer.text());
        assertTrue(answer.closed(), "the connection was left open");
        assertEquals(publishesBefore, ProducerTests.publishAttempts(registry), "a publish was attempted");
    }

    @Test
    void noHostIs400AndNotAnErrorInTheLog() throws IOException {
        for (int i = 0; i < 20; i++) {
            RawHttp.Answer answer = RawHttp.send(root, "POST /broadcast HTTP/1.1\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 2\r\nConnection: close\r\n\r\nhi", WAIT);

            assertEquals(400, answer.status(), answer.text());
            assertTrue(answer.body().contains("\"status\":400"), answer.text());
        }
        assertEquals(0, errors.count(), "ERROR log lines: " + errors.messages());
        assertEquals(publishesBefore, ProducerTests.publishAttempts(registry), "a publish was attempted");
    }

    @Test
    void closeAmongOtherConnectionOptionsClosesTheConnectionAfterTheAnswer() throws IOException {
        RawHttp.Answer answer = RawHttp.send(root, "POST /broadcast HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\n"
                + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\nConnection: Upgrade, HTTP2-Settings, close\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi", WAIT);

        assertEquals(202, answer.status(), answer.text());
        assertTrue(answer.closed(), "the connection was left open");
    }

    @Test
    void rawPathsDoNotBecomeMetricTags() throws IOException {
        for (int i = 0; i < 40; i++) {
            String random = UUID.randomUUID().toString();
            ProducerTests.request().get("/logs/" + random).then().statusCode(405);
            ProducerTests.request().get("/events/" + random).then().statusCode(405);
            ProducerTests.request().contentType("text/plain").body("x").post("/rpc/" + random + "X").then()
                    .statusCode(400);
            RawHttp.send(root, "GET /" + random + " HTTP/9.9\r\nHost: x\r\n\r\n", WAIT);
            RawHttp.send(root, "GET /" + random + " HTTP/1.1\r\nConnection: close\r\n\r\n", WAIT);
        }

        Set<String> uris = new TreeSet<>();
        for (Meter meter : registry.find("http.server.requests").meters()) {
            uris.add(meter.getId().getTag("uri"));
        }
        Set<String> expected = Set.of("/tasks", "/tasks/batch", "/broadcast", "/logs", "/logs/{severity}", "/events",
                "/events/{routingKey}", "/rpc", "/rpc/{procedure}", "/tasks/{id}", "/{other}", "root", "NOT_FOUND",
                "REDIRECTION");
        uris.removeIf(uri -> uri.startsWith("/q/"));
        assertTrue(expected.containsAll(uris), "unexpected uri tags: " + uris);
    }
}
