package dev.rabbitworks.worker.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import dev.rabbitworks.broker.TopologyConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;

/**
 * The worker's real mappings ({@link WorkerConfig}, {@link TopologyConfig}) with their defaults, the service's
 * application.properties and the given settings on top, validated with Bean Validation as at start: for tests that
 * need the settings without starting the service.
 */
public final class WorkerSettings {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    private WorkerSettings() {
    }

    /** Throws {@link io.smallrye.config.ConfigValidationException} when a setting breaks a constraint. */
    public static SmallRyeConfig load(Map<String, String> settings) {
        try {
            return new SmallRyeConfigBuilder()
                    .withMapping(WorkerConfig.class)
                    .withMapping(TopologyConfig.class)
                    .withConverter(Duration.class, 200, new DurationConverter())
                    .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
                    .withSources(new PropertiesConfigSource(
                            WorkerSettings.class.getResource("/application.properties"), 250))
                    .withSources(new PropertiesConfigSource(settings, "test settings", 500))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static WorkerConfig worker(Map<String, String> settings) {
        return load(settings).getConfigMapping(WorkerConfig.class);
    }
}
