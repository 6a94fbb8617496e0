package dev.rabbitworks.subscriber.rest;

/** The {@code limit} query parameter of GET /logs. */
final class Limit {

    static final int DEFAULT = 20;

    private Limit() {
    }

    /**
     * @param raw the parameter as sent (null when absent)
     * @param max the most that may be asked for (the number of messages kept)
     */
    static int parse(String raw, int max) {
        if (raw == null || raw.isBlank()) {
            return Math.min(DEFAULT, max);
        }
        int limit;
        try {
            limit = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new BadLimitException("limit must be a whole number between 1 and " + max);
        }
        if (limit < 1 || limit > max) {
            throw new BadLimitException("limit must be between 1 and " + max + ", was " + limit);
        }
        return limit;
    }
}
