package dev.rabbitworks.system.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One service running as its own process from its packaged jar, on a free port, with its output in
 * {@code target/system-logs/<test class>.<name>.log}. Every process started is also killed by a JVM shutdown hook,
 * so none outlives the test run, whatever happens to it.
 */
public final class ServiceProcess {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static final List<String> CLEARED_ENV_PREFIXES = List.of("RABBITMQ_", "QUARKUS_", "PRODUCER_", "WORKER_",
            "RPC_", "SUBSCRIBER_", "TOPOLOGY_");

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "system-tests-kill-services"));
    }

    private final Service service;
    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private ServiceProcess(Service service, String name, int port, Path log, Process process) {
        this.service = service;
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Launches the service (does not wait for it: see {@link #awaitReady(Duration)}). */
    static ServiceProcess launch(Service service, String name, String logPrefix, Map<String, String> env) {
        int port = freePort();
        Path log = Outputs.dir("system-logs").resolve(logPrefix + "." + name + ".log");
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", service.jar().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(key -> key.equals("HOSTNAME")
                || CLEARED_ENV_PREFIXES.stream().anyMatch(key::startsWith));
        environment.putAll(service.testSettings());
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        environment.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        // Names the broker connections after this process ("<service> <HOSTNAME>").
        environment.put("HOSTNAME", name);
        environment.put("WORKER_INSTANCE_NAME", name);
        environment.put("RPC_INSTANCE_NAME", name);
        environment.putAll(env);
        try {
            Files.writeString(log, "=== " + String.join(" ", command) + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            Process process = builder.start();
            RUNNING.add(process);
            process.onExit().thenRun(() -> RUNNING.remove(process));
            return new ServiceProcess(service, name, port, log, process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + service.module() + " (" + name + ")", e);
        }
    }

    public Service service() {
        return service;
    }

    public String name() {
        return name;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Waits until /q/health/ready answers 200; fails early if the process died. */
    public ServiceProcess awaitReady(Duration atMost) {
        await("ready: " + name).atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready;"
                        + " see " + log);
            }
            return isReady();
        });
        return this;
    }

    public boolean isReady() {
        return Http.get(url("/q/health/ready")).status() == 200;
    }

    public boolean isLive() {
        return Http.get(url("/q/health/live")).status() == 200;
    }

    /** The Prometheus text of /q/metrics. */
    public String metrics() {
        Http.Response response = Http.get(url("/q/metrics"));
        if (response.status() != 200) {
            throw new IllegalStateException(name + " /q/metrics answered " + response.status());
        }
        return response.body();
    }

    public double metric(String name, String... labels) {
        return Metrics.sum(metrics(), name, labels);
    }

    /** SIGKILL: no shutdown of any kind. */
    public void kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(10));
    }

    /** SIGTERM: the service's graceful shutdown. Does not wait. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to end; its exit code, or empty if it is still running. */
    public java.util.OptionalInt waitForExit(Duration atMost) {
        try {
            if (process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                return java.util.OptionalInt.of(process.exitValue());
            }
            return java.util.OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.OptionalInt.empty();
        }
    }

    /** Stops it for good at the end of a test class: quickly, not gracefully. */
    void stop() {
        if (process.isAlive()) {
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(10));
        }
    }

    /** Lines of its log so far. */
    public List<String> logLines() {
        try {
            return Files.readAllLines(log);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return name + " (" + service.module() + ", pid " + process.pid() + ", port " + port + ")";
    }
}
