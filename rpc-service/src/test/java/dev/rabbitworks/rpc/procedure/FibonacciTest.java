package dev.rabbitworks.rpc.procedure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

class FibonacciTest {

    @Test
    void startsWithZeroAndOne() {
        assertEquals(BigInteger.ZERO, Fibonacci.of(0));
        assertEquals(BigInteger.ONE, Fibonacci.of(1));
        assertEquals(BigInteger.ONE, Fibonacci.of(2));
    }

    @Test
    void tenthIs55() {
        assertEquals(BigInteger.valueOf(55), Fibonacci.of(10));
    }

    @Test
    void hundredthIsExactBeyondLong() {
        assertEquals(new BigInteger("354224848179261915075"), Fibonacci.of(100));
    }

    @Test
    void largeArgumentsStayExact() {
        // fib(n+1) = fib(n) + fib(n-1) at the default bound, and fib(10000) has 2090 digits.
        assertEquals(Fibonacci.of(10000).add(Fibonacci.of(9999)), Fibonacci.of(10001));
        assertEquals(2090, Fibonacci.of(10000).toString().length());
    }

    @Test
    void refusesNegativeArguments() {
        assertThrows(IllegalArgumentException.class, () -> Fibonacci.of(-1));
    }
}
