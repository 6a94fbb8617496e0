package dev.rabbitworks.rpc.procedure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FibonacciProcedureTest {

    private final FibonacciProcedure fib = new FibonacciProcedure(100);

    @Test
    void answersTheDecimalNumberAsPlainText() throws BadArgumentException {
        Reply reply = fib.call(RequestArgument.text("10"));

        assertEquals(Reply.OK, reply.status());
        assertEquals("text/plain", reply.contentType());
        assertEquals("55", reply.bodyAsText());
    }

    @Test
    void trimsTheArgument() throws BadArgumentException {
        assertEquals("55", fib.call(RequestArgument.text(" 10\n")).bodyAsText());
    }

    @Test
    void acceptsBothBounds() throws BadArgumentException {
        assertEquals("0", fib.call(RequestArgument.text("0")).bodyAsText());
        assertEquals("354224848179261915075", fib.call(RequestArgument.text("100")).bodyAsText());
    }

    @Test
    void acceptsLeadingZeros() throws BadArgumentException {
        assertEquals("13", fib.call(RequestArgument.text("007")).bodyAsText());
        assertEquals("0", fib.call(RequestArgument.text("-0")).bodyAsText());
    }

    @ParameterizedTest
    @ValueSource(strings = { "101", "-1", "2147483648", "99999999999999999999999999" })
    void refusesArgumentsOutOfRange(String argument) {
        BadArgumentException e = assertThrows(BadArgumentException.class, () -> fib.call(RequestArgument.text(argument)));
        assertTrue(e.getMessage().startsWith("out of range"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "  ", "abc", "1.5", "1e3", "+5", "0x10", "١٠" })
    void refusesWhatIsNotADecimalInteger(String argument) {
        BadArgumentException e = assertThrows(BadArgumentException.class, () -> fib.call(RequestArgument.text(argument)));
        assertTrue(e.getMessage().startsWith("not a number"), e.getMessage());
    }

    @Test
    void takesTheNumberFromAJsonBody() throws BadArgumentException {
        Optional<String> json = Optional.of("application/json");
        assertEquals("55", fib.call(new RequestArgument("10".getBytes(), json, Optional.empty())).bodyAsText());
        assertEquals("55", fib.call(new RequestArgument("\"10\"".getBytes(), json, Optional.empty())).bodyAsText());
    }
}
