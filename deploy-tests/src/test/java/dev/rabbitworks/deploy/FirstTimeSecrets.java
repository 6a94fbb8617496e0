package dev.rabbitworks.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * deploy/create-secrets.sh, the one-time step that creates the Secrets deploy/ does not hold, run as is with sh
 * against a stand-in for kubectl (src/test/resources/fake-kubectl.sh) that keeps its cluster as files: what the
 * script creates, and what it leaves alone when run again.
 */
final class FirstTimeSecrets {

    static final String SCRIPT = "create-secrets.sh";

    record Run(int exitCode, String output, List<String> calls) {
    }

    private static Map<String, Map<String, String>> created;

    private final Path cluster;
    private final Path kubectl;

    /** A cluster with nothing in it, kept under {@code dir}. */
    FirstTimeSecrets(Path dir) {
        try {
            this.cluster = Files.createDirectories(dir.resolve("cluster"));
            this.kubectl = dir.resolve("fake-kubectl.sh");
            try (InputStream fake = FirstTimeSecrets.class.getResourceAsStream("/fake-kubectl.sh")) {
                Files.write(kubectl, fake.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Secrets a first run creates in the namespace, by name: their keys and values (run once, then kept). */
    static synchronized Map<String, Map<String, String>> created() {
        if (created == null) {
            try {
                Path dir = Files.createTempDirectory("create-secrets");
                FirstTimeSecrets secrets = new FirstTimeSecrets(dir);
                Run run = secrets.run();
                if (run.exitCode() != 0) {
                    throw new AssertionError(SCRIPT + " failed: " + run.output());
                }
                created = secrets.secrets();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return created;
    }

    /** The keys of a Secret a first run creates (empty if it creates none of that name). */
    static Set<String> keys(String name) {
        return created().getOrDefault(name, Map.of()).keySet();
    }

    Run run() {
        int before = calls().size();
        Path output = cluster.resolve("output.log");
        ProcessBuilder process = new ProcessBuilder("sh", Project.deployDir().resolve(SCRIPT).toString())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        process.environment().put("KUBECTL", "sh " + kubectl);
        process.environment().put("FAKE_KUBE", cluster.toString());
        try {
            Process started = process.start();
            started.getOutputStream().close();
            if (!started.waitFor(60, TimeUnit.SECONDS)) {
                started.destroyForcibly();
                throw new IllegalStateException(SCRIPT + " did not finish within 60 s");
            }
            List<String> calls = calls();
            return new Run(started.exitValue(), Files.readString(output, StandardCharsets.UTF_8),
                    calls.subList(before, calls.size()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run sh for " + SCRIPT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every kubectl call so far, one line each. */
    List<String> calls() {
        Path log = cluster.resolve("calls.log");
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Secrets of the namespace, by name: key to value. */
    Map<String, Map<String, String>> secrets() {
        return read(cluster.resolve(Manifests.NAMESPACE).resolve("secrets"));
    }

    /** The labels of the namespace's Secrets, by name. */
    Map<String, Map<String, String>> labels() {
        return read(cluster.resolve(Manifests.NAMESPACE).resolve("labels"));
    }

    /** Files the script had kubectl apply. */
    List<String> applied() {
        Path applied = cluster.resolve("applied");
        try {
            return Files.exists(applied) ? Files.readAllLines(applied) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As an operator would: a Secret made by hand (or left by an earlier run) before the script runs. */
    void put(String name, Map<String, String> data) {
        Path dir = cluster.resolve(Manifests.NAMESPACE).resolve("secrets");
        StringBuilder lines = new StringBuilder();
        data.forEach((key, value) -> lines.append(key).append('=').append(value).append('\n'));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void delete(String name) {
        try {
            Files.delete(cluster.resolve(Manifests.NAMESPACE).resolve("secrets").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Map<String, String>> read(Path dir) {
        Map<String, Map<String, String>> result = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return result;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList()) {
                Map<String, String> entries = new TreeMap<>();
                for (String line : Files.readAllLines(file)) {
                    int eq = line.indexOf('=');
                    if (entries.put(line.substring(0, eq), line.substring(eq + 1)) != null) {
                        throw new AssertionError(file.getFileName() + ": key " + line.substring(0, eq) + " twice");
                    }
                }
                result.put(file.getFileName().toString(), entries);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }
}
