package dev.rabbitworks.system.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The broker from {@code RABBITMQ_HOST}, {@code RABBITMQ_PORT}, {@code RABBITMQ_USERNAME}, {@code RABBITMQ_PASSWORD}
 * and {@code RABBITMQ_HTTP_PORT} (management API, default 15672), as the services' own tests use it. It can be
 * restarted only when it runs on this machine and {@code rabbitmqctl} controls it: {@code stop_app} / {@code start_app}
 * (the Erlang node stays up, the RabbitMQ application stops: every connection closes, durable queues and persistent
 * messages survive, as in a broker restart).
 */
final class LocalBroker implements TestBroker {

    private static final Duration RABBITMQCTL_TIMEOUT = Duration.ofSeconds(60);

    private final Endpoint endpoint;
    private final Optional<String> whyNoRestart;

    LocalBroker() {
        this.endpoint = new Endpoint(env("RABBITMQ_HOST", "localhost"), Integer.parseInt(env("RABBITMQ_PORT", "5672")),
                Integer.parseInt(env("RABBITMQ_HTTP_PORT", "15672")), env("RABBITMQ_USERNAME", "guest"),
                env("RABBITMQ_PASSWORD", "guest"));
        this.whyNoRestart = checkRestart(endpoint.host());
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public Optional<String> whyItCannotBeRestarted() {
        return whyNoRestart;
    }

    @Override
    public void stop() {
        rabbitmqctl("stop_app");
    }

    @Override
    public void start() {
        rabbitmqctl("start_app");
        rabbitmqctl("await_startup");
    }

    @Override
    public void memoryAlarm(boolean raised) {
        // 0 raises the alarm at once; 0.4 is RabbitMQ's default watermark (a relative one, as shipped).
        rabbitmqctl("set_vm_memory_high_watermark", raised ? "0" : "0.4");
    }

    @Override
    public String description() {
        return "the broker at " + endpoint.host() + ":" + endpoint.amqpPort() + " (RABBITMQ_*; restart: "
                + whyNoRestart.orElse("rabbitmqctl stop_app/start_app") + ")";
    }

    private static Optional<String> checkRestart(String host) {
        if (!isThisMachine(host)) {
            return Optional.of("the broker at " + host + " is not on this machine: rabbitmqctl cannot restart it");
        }
        try {
            Result status = run(List.of("rabbitmqctl", "-q", "status"));
            if (status.exitCode() != 0) {
                return Optional.of("rabbitmqctl status failed (" + status.exitCode() + "): " + status.output().strip());
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("rabbitmqctl is not available here (" + e.getMessage() + ")");
        }
    }

    private static boolean isThisMachine(String host) {
        try {
            InetAddress address = InetAddress.getByName(host);
            return address.isLoopbackAddress() || address.isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void rabbitmqctl(String... command) {
        List<String> line = new java.util.ArrayList<>(List.of("rabbitmqctl", "-q"));
        line.addAll(List.of(command));
        try {
            Result result = run(line);
            if (result.exitCode() != 0) {
                throw new IllegalStateException(String.join(" ", line) + " failed: " + result.output());
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", line) + " failed", e);
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(RABBITMQCTL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not end within " + RABBITMQCTL_TIMEOUT);
            }
            return new Result(process.exitValue(),
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
