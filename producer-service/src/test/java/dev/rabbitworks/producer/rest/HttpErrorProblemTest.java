package dev.rabbitworks.producer.rest;

import static dev.rabbitworks.producer.ProducerTests.assertProblem;
import static dev.rabbitworks.producer.ProducerTests.request;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The HTTP layer's own errors (no route, wrong method, unacceptable Accept) answer problem bodies too. */
@QuarkusTest
class HttpErrorProblemTest {

    @Test
    void unknownPathIs404() {
        assertProblem(request().get("/no-such-thing").then(), 404);
    }

    @Test
    void unknownSubPathOfAResourceIs404() {
        assertProblem(request().contentType("text/plain").body("x").post("/tasks/extra/more").then(), 404);
    }

    @Test
    void wrongMethodIs405() {
        assertProblem(request().get("/tasks").then(), 405);
    }

    @Test
    void unacceptableAcceptIs406() {
        assertProblem(request().contentType("text/plain").accept("application/xml").body("work")
                .post("/tasks").then(), 406);
    }
}
