package dev.rabbitworks.subscriber.logs;

/** Keeps bodies bounded wherever they are kept or shown. */
public final class Truncation {

    private Truncation() {
    }

    /** Cuts {@code text} after {@code maxChars} characters (never inside a surrogate pair) and says how much was cut. */
    public static String cut(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        int end = maxChars;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…[" + (text.length() - end) + " more chars]";
    }
}
