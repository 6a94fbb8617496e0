package dev.rabbitworks.producer.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import dev.rabbitworks.broker.TopologyConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;

/**
 * The producer's real mappings ({@link ProducerConfig}, {@link TopologyConfig}) with their defaults, the service's
 * application.properties and the given settings on top, validated with Bean Validation as at start.
 */
final class ProducerSettings {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    private final SmallRyeConfig config;

    private ProducerSettings(SmallRyeConfig config) {
        this.config = config;
    }

    /** Throws {@link io.smallrye.config.ConfigValidationException} when a setting breaks a constraint. */
    static ProducerSettings load(Map<String, String> settings) {
        try {
            return new ProducerSettings(new SmallRyeConfigBuilder()
                    .withMapping(ProducerConfig.class)
                    .withMapping(TopologyConfig.class)
                    .withConverter(Duration.class, 200, new DurationConverter())
                    .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                    .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
                    .withSources(new PropertiesConfigSource(
                            ProducerSettings.class.getResource("/application.properties"), 250))
                    .withSources(new PropertiesConfigSource(settings, "test settings", 500))
                    .build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ProducerConfig producer() {
        return config.getConfigMapping(ProducerConfig.class);
    }

    TopologyConfig topology() {
        return config.getConfigMapping(TopologyConfig.class);
    }

    /** What ConfigChecks finds wrong with these settings. */
    java.util.List<String> checkProblems() {
        long httpBodyLimit = config.getValue("quarkus.http.limits.max-body-size", MemorySize.class).asLongValue();
        return ConfigChecks.problems(producer(), topology(), httpBodyLimit);
    }
}
