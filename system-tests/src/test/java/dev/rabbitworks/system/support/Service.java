package dev.rabbitworks.system.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The four services, where their packaged application is, and the settings that make them quick to test. */
public enum Service {
    PRODUCER("producer-service", Map.of(
            "PRODUCER_PUBLISH_TIMEOUT", "2s",
            "PRODUCER_RPC_TIMEOUT", "2s")),
    WORKER("worker-service", Map.of(
            "WORKER_WORK_UNIT", "20ms",
            "WORKER_EVENT_TIMEOUT", "2s",
            "WORKER_RETRY_DELAYS", "500ms,1s,2s",
            "QUARKUS_SHUTDOWN_TIMEOUT", "10s")),
    LOG_SUBSCRIBER("log-subscriber-service", Map.of()),
    RPC("rpc-service", Map.of());

    private final String module;
    private final Map<String, String> testSettings;

    Service(String module, Map<String, String> testSettings) {
        this.module = module;
        this.testSettings = testSettings;
    }

    public String module() {
        return module;
    }

    /** Short work units and timeouts (reconnect intervals stay as shipped: recovering by them is under test). */
    Map<String, String> testSettings() {
        return testSettings;
    }

    /**
     * Whether the packaged service mentions any of {@code settings} (e.g. {@code rabbitmq-addresses}): searched for in
     * its own code and configuration, the {@code app/} and {@code dev.rabbitworks} jars of its quarkus-app, the
     * SmallRye RabbitMQ connector's jar (whose global {@code rabbitmq-*} attributes a connector service takes from the
     * environment as they are), and the classes Quarkus generated for its configuration. A setting it never mentions
     * is one it cannot honour.
     */
    public boolean mentions(String... settings) {
        Path app = jar().getParent();
        List<Path> jars = new ArrayList<>();
        for (String dir : List.of("app", "lib/main", "quarkus")) {
            Path folder = app.resolve(dir);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> files = Files.list(folder)) {
                files.filter(f -> f.toString().endsWith(".jar"))
                        .filter(f -> !dir.equals("lib/main") || isOwnOrConnector(f.getFileName().toString()))
                        .forEach(jars::add);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        for (Path jarFile : jars) {
            try (ZipFile zip = new ZipFile(jarFile.toFile())) {
                for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                    if (entry.isDirectory() || entry.getSize() > 4_000_000) {
                        continue;
                    }
                    String text;
                    try (InputStream in = zip.getInputStream(entry)) {
                        text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                    }
                    for (String setting : settings) {
                        if (text.contains(setting)) {
                            return true;
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + jarFile, e);
            }
        }
        return false;
    }

    private static boolean isOwnOrConnector(String jar) {
        return jar.startsWith("dev.rabbitworks") || jar.contains("smallrye-reactive-messaging-rabbitmq");
    }

    /**
     * The runnable jar the service module's package phase builds; {@code SYSTEM_TESTS_<SERVICE>_JAR} (e.g.
     * {@code SYSTEM_TESTS_PRODUCER_JAR}) points at another build of it.
     */
    Path jar() {
        String override = System.getenv("SYSTEM_TESTS_" + name() + "_JAR");
        if (override != null && !override.isBlank()) {
            return Path.of(override).toAbsolutePath();
        }
        Path root = Path.of(System.getProperty("rabbitworks.root", ".."));
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw -B package "
                    + "-DskipTests from the project root)");
        }
        return jar;
    }
}
