package dev.rabbitworks.containers;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * A service's container image as its module configures it (application.properties, the prod profile): the image
 * Jib builds, the HTTP port it listens on and exposes, and the user it runs as.
 */
record ServiceImage(String service, String image, int httpPort, String user) {

    static final List<String> SERVICES = List.of("producer-service", "worker-service", "log-subscriber-service",
            "rpc-service");

    static List<ServiceImage> all() {
        return SERVICES.stream().map(ServiceImage::of).toList();
    }

    static ServiceImage of(String service) {
        Properties properties = applicationProperties(service);
        String group = required(properties, service, "quarkus.container-image.group");
        String name = value(properties, "quarkus.container-image.name").orElse(service);
        String tag = value(properties, "quarkus.container-image.tag").orElse(version());
        int port = Integer.parseInt(required(properties, service, "quarkus.http.port"));
        String user = required(properties, service, "quarkus.jib.user");
        return new ServiceImage(service, group + "/" + name + ":" + tag, port, user);
    }

    static Path root() {
        return Path.of(System.getProperty("rabbitworks.root", "..")).toAbsolutePath().normalize();
    }

    static String version() {
        String version = System.getProperty("rabbitworks.version");
        if (version == null || version.isBlank()) {
            throw new IllegalStateException("system property rabbitworks.version not set (run through Maven)");
        }
        return version;
    }

    private static Properties applicationProperties(String service) {
        Path file = root().resolve(service).resolve("src/main/resources/application.properties");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return properties;
    }

    private static Optional<String> value(Properties properties, String key) {
        return Optional.ofNullable(properties.getProperty("%prod." + key, properties.getProperty(key)))
                .map(String::strip).filter(v -> !v.isEmpty());
    }

    private static String required(Properties properties, String service, String key) {
        return value(properties, key).orElseThrow(() -> new IllegalStateException(
                service + "/src/main/resources/application.properties does not set " + key));
    }
}
