package dev.rabbitworks.producer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProcedureNamesTest {

    @ParameterizedTest
    @ValueSource(strings = { "fib", "instance", "a", "my-proc-2" })
    void acceptsLowerCaseNames(String name) {
        assertEquals(name, ProcedureNames.validate(name));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "Fib", "2fib", "-fib", "fib_x", "fib.x", "fib x", "fïb" })
    void refusesOtherNames(String name) {
        assertThrows(InvalidInput.class, () -> ProcedureNames.validate(name));
    }

    @org.junit.jupiter.api.Test
    void limitsTheLengthTo64() {
        assertEquals("f".repeat(64), ProcedureNames.validate("f".repeat(64)));
        assertThrows(InvalidInput.class, () -> ProcedureNames.validate("f".repeat(65)));
    }
}
