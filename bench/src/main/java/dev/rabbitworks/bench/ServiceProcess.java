package dev.rabbitworks.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of our services, run from its packaged jar ({@code <module>/target/quarkus-app/quarkus-run.jar}) as a
 * child process against the bench's virtual host, its output in {@code bench/target/logs/}.
 */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern STARTED_IN = Pattern.compile("started in ([0-9.]+)s");

    final String module;
    final String name;
    final int port;
    private final Process process;
    private final Path log;
    private final long spawnedNanos;
    private long readyNanos;

    private ServiceProcess(String module, String name, int port, Process process, Path log, long spawnedNanos) {
        this.module = module;
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
        this.spawnedNanos = spawnedNanos;
    }

    /** Starts {@code module}'s jar with the broker settings, {@code port} and the extra environment. */
    static ServiceProcess start(Path root, Broker broker, List<String> jvmOptions, String module, String name, int port,
            Map<String, String> extraEnv) throws IOException {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (bench/run.sh does)");
        }
        Path logs = root.resolve("bench/target/logs");
        Files.createDirectories(logs);
        Path log = logs.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("RABBITMQ_HOST", broker.host);
        env.put("RABBITMQ_PORT", Integer.toString(broker.port));
        env.put("RABBITMQ_USERNAME", broker.username);
        env.put("RABBITMQ_PASSWORD", broker.password);
        env.put("RABBITMQ_VIRTUAL_HOST", broker.vhost);
        env.putAll(extraEnv);
        long spawned = System.nanoTime();
        return new ServiceProcess(module, name, port, builder.start(), log, spawned);
    }

    /** Waits until GET {@code path} answers 200 (e.g. /q/health/ready); returns the time since the spawn. */
    Duration awaitHttp200(String path, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            if (status(path) == 200) {
                readyNanos = System.nanoTime();
                return Duration.ofNanos(readyNanos - spawnedNanos);
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(name + ": " + path + " not 200 within " + atMost + "; see " + log);
    }

    Duration awaitReady() throws InterruptedException {
        return awaitHttp200("/q/health/ready", Duration.ofSeconds(60));
    }

    /**
     * The sum of the service's Prometheus samples (GET /q/metrics) whose line starts with {@code name} and contains
     * every one of {@code labels} (e.g. {@code target="event"}); 0 when none.
     */
    double metric(String name, String... labels) throws IOException, InterruptedException {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(line::contains)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Prometheus samples of {@code metric} in /q/metrics, by their label text, e.g. {exchange="logs"}. */
    Map<String, Double> metric(String metric) throws IOException, InterruptedException {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : get("/q/metrics").split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                int space = line.lastIndexOf(' ');
                String labels = line.substring(metric.length(), space).trim();
                samples.put(labels, Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    double metricSum(String metric, String labelFilter) throws IOException, InterruptedException {
        return metric(metric).entrySet().stream().filter(e -> e.getKey().contains(labelFilter))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Resident set size of the JVM, in MiB (Linux /proc). */
    double rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS for " + process.pid());
    }

    long pid() {
        return process.pid();
    }

    /** Quarkus's own "started in N s" from the log, or -1. */
    double quarkusStartedInSeconds() throws IOException {
        Matcher matcher = STARTED_IN.matcher(Files.readString(log));
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
