package dev.rabbitworks.rpc.procedure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ProcedureDispatcherTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProcedureDispatcher dispatcher = new ProcedureDispatcher(List.of(
            new FibonacciProcedure(1000),
            new InstanceProcedure("replica-1", () -> 1234L),
            new Failing()));

    @Test
    void runsTheNamedProcedure() {
        ProcedureDispatcher.Outcome outcome = dispatcher.dispatch(Optional.of("fib"), RequestArgument.text("10"));

        assertEquals("fib", outcome.procedure());
        assertEquals(Reply.OK, outcome.reply().status());
        assertEquals("55", outcome.reply().bodyAsText());
    }

    @Test
    void withoutAProcedureNameRunsFib() {
        ProcedureDispatcher.Outcome outcome = dispatcher.dispatch(Optional.empty(), RequestArgument.text("10"));

        assertEquals("fib", outcome.procedure());
        assertEquals("55", outcome.reply().bodyAsText());
    }

    @Test
    void instanceTellsItsNameAndUptimeAsJson() throws Exception {
        ProcedureDispatcher.Outcome outcome = dispatcher.dispatch(Optional.of("instance"), RequestArgument.text(""));

        assertEquals("application/json", outcome.reply().contentType());
        JsonNode body = JSON.readTree(outcome.reply().body());
        assertEquals("replica-1", body.path("instance").asText());
        assertEquals(1234L, body.path("uptimeMs").asLong());
    }

    @Test
    void instanceIgnoresABodyThatIsNotText() {
        RequestArgument garbage = new RequestArgument(new byte[] { (byte) 0xff }, Optional.empty(), Optional.empty());

        assertEquals(Reply.OK, dispatcher.dispatch(Optional.of("instance"), garbage).reply().status());
    }

    @Test
    void unknownProcedureIs404WithAJsonError() throws Exception {
        ProcedureDispatcher.Outcome outcome = dispatcher.dispatch(Optional.of("rm -rf /"), RequestArgument.text("1"));

        assertEquals(ProcedureDispatcher.UNKNOWN, outcome.procedure());
        assertEquals(Reply.UNKNOWN_PROCEDURE, outcome.reply().status());
        assertEquals("application/json", outcome.reply().contentType());
        String error = JSON.readTree(outcome.reply().body()).path("error").asText();
        assertTrue(error.contains("unknown procedure 'rm -rf /'"), error);
    }

    @Test
    void procedureNamesAreMatchedExactly() {
        assertEquals(Reply.UNKNOWN_PROCEDURE,
                dispatcher.dispatch(Optional.of("FIB"), RequestArgument.text("1")).reply().status());
        assertEquals(Reply.UNKNOWN_PROCEDURE,
                dispatcher.dispatch(Optional.of(""), RequestArgument.text("1")).reply().status());
    }

    @Test
    void badArgumentIs400WithTheReason() throws Exception {
        ProcedureDispatcher.Outcome outcome = dispatcher.dispatch(Optional.of("fib"), RequestArgument.text("1001"));

        assertEquals(Reply.BAD_ARGUMENT, outcome.reply().status());
        assertEquals("out of range: the argument must be between 0 and 1000",
                JSON.readTree(outcome.reply().body()).path("error").asText());
    }

    @Test
    void invalidUtf8Is400() {
        RequestArgument garbage = new RequestArgument(new byte[] { '1', (byte) 0xc3 }, Optional.empty(), Optional.empty());

        assertEquals(Reply.BAD_ARGUMENT, dispatcher.dispatch(Optional.of("fib"), garbage).reply().status());
    }

    @Test
    void aFailingProcedureIs500WithoutDetails() throws Exception {
        ProcedureDispatcher.Outcome outcome = dispatcher.dispatch(Optional.of("failing"), RequestArgument.text(""));

        assertEquals(Reply.INTERNAL_ERROR, outcome.reply().status());
        assertEquals("internal error in procedure failing", JSON.readTree(outcome.reply().body()).path("error").asText());
    }

    @Test
    void refusesTwoProceduresWithTheSameName() {
        assertThrows(IllegalArgumentException.class,
                () -> new ProcedureDispatcher(List.of(new FibonacciProcedure(1), new FibonacciProcedure(2))));
    }

    private static final class Failing implements Procedure {
        @Override
        public String name() {
            return "failing";
        }

        @Override
        public Reply call(RequestArgument argument) {
            throw new IllegalStateException("secret detail");
        }
    }
}
