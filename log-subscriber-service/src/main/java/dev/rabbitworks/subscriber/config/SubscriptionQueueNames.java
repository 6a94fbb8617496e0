package dev.rabbitworks.subscriber.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import dev.rabbitworks.subscriber.messaging.LogChannels;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Derives each channel's {@code queue.name} from {@code subscriber.subscription-name}, so one setting switches
 * all three queues and the connector still declares them:
 * <ul>
 * <li>unset: {@code (server.auto)}, an exclusive, auto-delete, server-named queue per instance (each replica sees
 * every message while it is online);</li>
 * <li>set to {@code name}: {@code name.fanout}, {@code name.direct}, {@code name.topic}, declared with the
 * channel's {@code queue.durable/exclusive/auto-delete} attributes (durable, shared, kept).</li>
 * </ul>
 * A config expression cannot do this: it cannot add the per-channel suffix only when the name is set.
 * The ordinal sits just above application.properties (250) and below environment variables (300), so an
 * explicit {@code MP_MESSAGING_INCOMING_<CHANNEL>_QUEUE_NAME} still wins.
 */
public class SubscriptionQueueNames implements ConfigSourceFactory {

    public static final String SUBSCRIPTION_NAME = "subscriber.subscription-name";
    public static final String SERVER_NAMED = "(server.auto)";
    static final int ORDINAL = 260;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue name = context.getValue(SUBSCRIPTION_NAME);
        String subscription = name == null ? null : name.getValue();
        return List.of(new PropertiesConfigSource(queueNames(subscription), "subscriber queue names", ORDINAL));
    }

    /** The {@code queue.name} attribute of every channel for the given subscription name (null or blank: none). */
    static Map<String, String> queueNames(String subscription) {
        Map<String, String> names = new HashMap<>();
        for (String channel : LogChannels.ALL) {
            String queue = subscription == null || subscription.isBlank() ? SERVER_NAMED : subscription + "." + channel;
            names.put(LogChannels.attribute(channel, "queue.name"), queue);
        }
        return names;
    }
}
