package dev.rabbitworks.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the repository is: deploy/ and the service modules, seen from this module. */
final class Project {

    /** The four services, by module directory (also their artifactId, Deployment and Service name). */
    static final List<String> SERVICES = List.of("producer-service", "worker-service", "log-subscriber-service",
            "rpc-service");

    private Project() {
    }

    static Path root() {
        String configured = System.getProperty("rabbitworks.root");
        return Path.of(configured != null ? configured : "..").toAbsolutePath().normalize();
    }

    static Path deployDir() {
        return root().resolve("deploy");
    }

    static Path optionalDir() {
        return deployDir().resolve("optional");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
