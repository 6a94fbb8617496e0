package dev.rabbitworks.rpc.procedure;

import java.math.BigInteger;

/** Fibonacci numbers, exact: iterative with BigInteger (fib(0)=0, fib(1)=1), linear time, constant stack. */
public final class Fibonacci {

    private Fibonacci() {
    }

    public static BigInteger of(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, was " + n);
        }
        BigInteger previous = BigInteger.ZERO;
        BigInteger current = BigInteger.ONE;
        for (int i = 0; i < n; i++) {
            BigInteger next = previous.add(current);
            previous = current;
            current = next;
        }
        return previous;
    }
}
