package dev.rabbitworks.subscriber.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class SubscriptionQueueNamesTest {

    private static SmallRyeConfig config(Map<String, String> settings) {
        return new SmallRyeConfigBuilder()
                .withInterceptors(new SubscriptionQueueNames())
                .withSources(new PropertiesConfigSource(settings, "test settings", 500))
                .build();
    }

    private static String queueName(SmallRyeConfig config, String channel) {
        return config.getValue("mp.messaging.incoming." + channel + ".queue.name", String.class);
    }

    @Test
    void withoutASubscriptionNameEveryChannelGetsAServerNamedQueue() {
        SmallRyeConfig config = config(Map.of());

        for (String channel : new String[] { "fanout", "direct", "topic" }) {
            assertEquals("(server.auto)", queueName(config, channel));
        }
    }

    @Test
    void aSubscriptionNameNamesOneQueuePerChannel() {
        SmallRyeConfig config = config(Map.of("subscriber.subscription-name", "audit"));

        assertEquals("audit.fanout", queueName(config, "fanout"));
        assertEquals("audit.direct", queueName(config, "direct"));
        assertEquals("audit.topic", queueName(config, "topic"));
    }

    @Test
    void aQueueNameWrittenInTheConfigurationWins() {
        SmallRyeConfig config = config(Map.of("subscriber.subscription-name", "audit",
                "mp.messaging.incoming.direct.queue.name", "mine"));

        assertEquals("mine", queueName(config, "direct"));
        assertEquals("audit.topic", queueName(config, "topic"));
    }

    @Test
    void otherSettingsAreLeftAlone() {
        SmallRyeConfig config = config(Map.of("subscriber.subscription-name", "audit"));

        assertEquals(false, config.getOptionalValue("mp.messaging.incoming.other.queue.name", String.class)
                .isPresent());
    }
}
