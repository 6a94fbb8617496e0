package dev.rabbitworks.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One Podman pod with the broker and the four service containers, as on Kubernetes: the services take every
 * broker setting from their environment, run from their images' entrypoint and user, on a read-only root file
 * system with a tmpfs on /tmp, without capabilities. The pod has its own network namespace, so the broker's ports
 * never meet a broker on the host; only the management API and the services' HTTP ports are published, on free
 * host ports of 127.0.0.1. {@link #close()} removes everything it started (and leftovers of runs that died).
 */
final class SmokeStack implements AutoCloseable {

    static final String BROKER_IMAGE = System.getProperty("rabbitworks.broker-image",
            "localhost/rabbitmq:3.10-management");
    /** Marks what this class starts; the value is the pid of the JVM that started it. */
    static final String LABEL = "dev.rabbitworks.container-tests";
    static final String BROKER = "rabbitmq";

    final String pod = "rabbitworks-smoke-" + UUID.randomUUID().toString().substring(0, 8);
    /** Non-default broker settings: the services reach the broker only if they read them from the environment. */
    final String brokerUser = "smoke-" + UUID.randomUUID().toString().substring(0, 8);
    final String brokerPassword = UUID.randomUUID().toString();
    final String virtualHost = "smoke-vhost";
    final int managementPort;
    private final Map<String, ServiceImage> services = new LinkedHashMap<>();
    private final Map<String, Integer> httpPorts = new LinkedHashMap<>();
    private final Thread cleanupOnExit = new Thread(this::remove, "remove " + pod);
    private boolean closed;

    SmokeStack(List<ServiceImage> images) {
        images.forEach(image -> services.put(image.service(), image));
        managementPort = freePort();
        images.forEach(image -> httpPorts.put(image.service(), freePort()));
    }

    /** Starts the pod, the broker and the services; does not wait for them to be ready. */
    void start() {
        removeLeftoversOfDeadRuns();
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
        List<String> create = new ArrayList<>(List.of("pod", "create", "--name", pod, "--label",
                LABEL + "=" + ProcessHandle.current().pid(), "-p", "127.0.0.1:" + managementPort + ":15672"));
        services.values().forEach(image -> create.addAll(List.of("-p",
                "127.0.0.1:" + httpPorts.get(image.service()) + ":" + image.httpPort())));
        Podman.run(create).orFail();
        Podman.run("run", "-d", "--pod", pod, "--name", containerName(BROKER),
                "-e", "RABBITMQ_DEFAULT_USER=" + brokerUser, "-e", "RABBITMQ_DEFAULT_PASS=" + brokerPassword,
                "-e", "RABBITMQ_DEFAULT_VHOST=" + virtualHost, BROKER_IMAGE).orFail();
        for (ServiceImage image : services.values()) {
            List<String> run = new ArrayList<>(List.of("run", "-d", "--pod", pod, "--name",
                    containerName(image.service()),
                    // What the Deployments in deploy/ ask of the container.
                    "--read-only", "--read-only-tmpfs=false", "--tmpfs", "/tmp:rw,size=64m",
                    "--cap-drop=ALL", "--security-opt=no-new-privileges"));
            serviceEnvironment(image.service()).forEach((key, value) -> run.addAll(List.of("-e", key + "=" + value)));
            run.add(image.image());
            Podman.run(run).orFail();
        }
    }

    /** The broker settings, all from the environment (the pod shares one network namespace: the broker is local). */
    Map<String, String> serviceEnvironment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RABBITMQ_HOST", "127.0.0.1");
        env.put("RABBITMQ_PORT", "5672");
        env.put("RABBITMQ_USERNAME", brokerUser);
        env.put("RABBITMQ_PASSWORD", brokerPassword);
        env.put("RABBITMQ_VIRTUAL_HOST", virtualHost);
        if (service.equals("worker-service")) {
            env.put("WORKER_WORK_UNIT", "50ms");
        }
        return env;
    }

    String containerName(String service) {
        return pod + "-" + service;
    }

    String url(String service, String path) {
        return "http://127.0.0.1:" + httpPorts.get(service) + path;
    }

    /** Saves every container's log under target/container-logs/, then removes the pod and its containers. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        saveLogs();
        remove();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // shutting down already, or start() never got that far
        }
    }

    private void saveLogs() {
        Path dir = Path.of("target", "container-logs");
        List<String> names = new ArrayList<>(List.of(BROKER));
        names.addAll(services.keySet());
        for (String name : names) {
            Podman.Result logs = Podman.run("logs", containerName(name));
            if (logs.ok()) {
                try {
                    Files.createDirectories(dir);
                    Files.writeString(dir.resolve(name + ".log"), logs.out() + logs.err());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private void remove() {
        Podman.run("pod", "rm", "-f", "-t", "5", pod);
    }

    /** Pods of earlier runs whose JVM is gone (killed before it could clean up); running ones are left alone. */
    private static void removeLeftoversOfDeadRuns() {
        String listing = Podman.run("pod", "ps", "--filter", "label=" + LABEL,
                "--format", "{{.Name}} {{index .Labels \"" + LABEL + "\"}}").orFail();
        for (String line : listing.lines().filter(l -> !l.isBlank()).toList()) {
            String[] nameAndPid = line.strip().split(" ");
            boolean alive = nameAndPid.length > 1 && nameAndPid[1].matches("\\d+")
                    && ProcessHandle.of(Long.parseLong(nameAndPid[1])).map(ProcessHandle::isAlive).orElse(false);
            if (!alive) {
                Podman.run("pod", "rm", "-f", "-t", "0", nameAndPid[0]);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
