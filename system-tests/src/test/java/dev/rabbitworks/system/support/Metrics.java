package dev.rabbitworks.system.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a service's Prometheus text (/q/metrics). */
public final class Metrics {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)");

    private Metrics() {
    }

    /** The sum of the samples of {@code name} whose labels contain every {@code label="value"} given. */
    public static double sum(String text, String name, String... labels) {
        double total = 0;
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.find() || !sample.group(1).equals(name)) {
                continue;
            }
            String labelText = sample.group(2) == null ? "" : sample.group(2);
            boolean matches = true;
            for (String label : labels) {
                matches &= labelText.contains(label);
            }
            if (matches) {
                total += Double.parseDouble(sample.group(3));
            }
        }
        return total;
    }
}
