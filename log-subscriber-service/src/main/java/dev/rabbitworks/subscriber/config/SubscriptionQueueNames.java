package dev.rabbitworks.subscriber.config;

import java.util.Map;

import jakarta.annotation.Priority;

import dev.rabbitworks.subscriber.messaging.LogChannels;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;

/**
 * Gives each channel's {@code queue.name} from {@code subscriber.subscription-name}: {@code <name>.<channel>}, or the
 * connector's {@code (server.auto)} (an exclusive, auto-delete, server-named queue) when it is unset. A properties
 * file cannot say this (the suffix only when the name is set); a {@code queue.name} written in the configuration
 * still wins.
 */
@Priority(Priorities.APPLICATION)
public class SubscriptionQueueNames implements ConfigSourceInterceptor {

    static final String SERVER_NAMED = "(server.auto)";
    private static final String SUBSCRIPTION_NAME = "subscriber.subscription-name";
    private static final Map<String, String> CHANNEL_BY_KEY = Map.of(
            key(LogChannels.FANOUT), LogChannels.FANOUT,
            key(LogChannels.DIRECT), LogChannels.DIRECT,
            key(LogChannels.TOPIC), LogChannels.TOPIC);

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue written = context.proceed(name);
        String channel = CHANNEL_BY_KEY.get(name);
        if (channel == null || written != null) {
            return written;
        }
        ConfigValue subscription = context.proceed(SUBSCRIPTION_NAME);
        boolean named = subscription != null && subscription.getValue() != null && !subscription.getValue().isEmpty();
        return ConfigValue.builder()
                .withName(name)
                .withValue(named ? subscription.getValue() + "." + channel : SERVER_NAMED)
                .withConfigSourceName(SubscriptionQueueNames.class.getSimpleName())
                .build();
    }

    private static String key(String channel) {
        return "mp.messaging.incoming." + channel + ".queue.name";
    }
}
