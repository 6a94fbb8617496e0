package dev.rabbitworks.subscriber.config;

import java.util.ArrayList;
import java.util.List;

import dev.rabbitworks.subscriber.messaging.LogChannels;

/**
 * Finds everything wrong with the subscriber's settings at once. It checks the binding keys as they will be bound:
 * {@code subscriber.severities} and {@code subscriber.patterns} as written, split by {@link RoutingKeyRules#split}
 * (a list conversion would silently drop an empty entry).
 */
public final class SubscriberConfigValidator {

    /** The longest queue-name suffix a durable subscription adds ({@code .fanout}, {@code .direct}, {@code .topic}). */
    private static final int LONGEST_SUFFIX_BYTES = LogChannels.ALL.stream().mapToInt(c -> c.length() + 1).max()
            .orElseThrow();

    private SubscriberConfigValidator() {
    }

    /**
     * @param directRoutingKeys {@code subscriber.severities} as written
     * @param topicRoutingKeys {@code subscriber.patterns} as written
     * @return one readable line per problem; empty when all is well
     */
    public static List<String> problems(SubscriberConfig config, String directRoutingKeys, String topicRoutingKeys) {
        List<String> problems = new ArrayList<>();
        if (config.direct()) {
            for (String severity : RoutingKeyRules.split(directRoutingKeys)) {
                RoutingKeyRules.severityProblem(severity).ifPresent(p -> problems.add("subscriber.severities: " + p));
            }
        }
        if (config.topic()) {
            for (String pattern : RoutingKeyRules.split(topicRoutingKeys)) {
                RoutingKeyRules.patternProblem(pattern).ifPresent(p -> problems.add("subscriber.patterns: " + p));
            }
        }
        config.subscriptionName()
                .flatMap(name -> RoutingKeyRules.subscriptionNameProblem(name, LONGEST_SUFFIX_BYTES))
                .ifPresent(p -> problems.add("subscriber.subscription-name: " + p));
        if (config.prefetch() < 1 || config.prefetch() > 65_535) {
            problems.add("subscriber.prefetch: must be between 1 and 65535, was " + config.prefetch());
        }
        if (config.recent() < 1) {
            problems.add("subscriber.recent: must be at least 1, was " + config.recent());
        }
        if (config.maxBodyLength() < 1) {
            problems.add("subscriber.max-body-length: must be at least 1, was " + config.maxBodyLength());
        }
        if (!config.fanout() && !config.direct() && !config.topic()) {
            problems.add("subscriber.fanout, subscriber.direct and subscriber.topic are all false: nothing to receive");
        }
        return problems;
    }
}
