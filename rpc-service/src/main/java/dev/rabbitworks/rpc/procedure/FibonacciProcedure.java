package dev.rabbitworks.rpc.procedure;

import java.util.regex.Pattern;

/** {@code fib}: the argument is a decimal n in 0..max; the reply is fib(n) as decimal text/plain. */
public final class FibonacciProcedure implements Procedure {

    public static final String NAME = "fib";

    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+");
    /** More digits than any allowed n has: longer input is out of range without parsing it. */
    private static final int MAX_DIGITS = 9;

    private final int max;

    public FibonacciProcedure(int max) {
        this.max = max;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Reply call(RequestArgument argument) throws BadArgumentException {
        int n = parse(argument.text().trim());
        return Reply.text(Fibonacci.of(n).toString());
    }

    private int parse(String text) throws BadArgumentException {
        if (!DECIMAL.matcher(text).matches()) {
            throw new BadArgumentException("not a number: the argument must be a decimal integer between 0 and " + max);
        }
        String magnitude = text.replaceFirst("^-?0*", "");
        boolean negative = text.startsWith("-") && !magnitude.isEmpty();
        if (negative || magnitude.length() > MAX_DIGITS
                || (!magnitude.isEmpty() && Integer.parseInt(magnitude) > max)) {
            throw new BadArgumentException("out of range: the argument must be between 0 and " + max);
        }
        return magnitude.isEmpty() ? 0 : Integer.parseInt(magnitude);
    }
}
