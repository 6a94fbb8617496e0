package dev.rabbitworks.system.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A real RabbitMQ cluster of a few nodes on this machine, started by {@code scripts/cluster.sh} from the installed
 * OS package under {@code system-tests/target/rabbitmq-cluster}: its own node names, ports, data and one Erlang
 * cookie of its own, so the broker the other tests share is never touched. Its nodes are stopped and started one at
 * a time by the cluster tests; as a {@link TestBroker} it is node 1 (the services' {@code RABBITMQ_HOST}), with
 * every node in {@link #amqpNodes()}. {@link #close()} (and a JVM shutdown hook) stops every node.
 */
public final class LocalCluster implements TestBroker, AutoCloseable {

    private static final Duration UP_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration NODE_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration CTL_TIMEOUT = Duration.ofSeconds(90);

    /** One node: its number (1..n), Erlang node name, AMQP and management ports. */
    public record Node(int index, String name, Endpoint endpoint) {
        /** "n2", for reports. */
        public String label() {
            return "n" + index;
        }
    }

    /** The exit code and output of a command. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final Path dir;
    private final Path script;
    private final List<Node> nodes;
    private final List<BrokerAdmin> admins;
    private final Thread stopAtExit;
    private volatile boolean closed;

    private LocalCluster(Path dir, Path script, List<Node> nodes) {
        this.dir = dir;
        this.script = script;
        this.nodes = List.copyOf(nodes);
        this.admins = nodes.stream().map(node -> new BrokerAdmin(node.endpoint())).toList();
        this.stopAtExit = new Thread(this::down, "system-tests-cluster-down");
        Runtime.getRuntime().addShutdownHook(stopAtExit);
    }

    /** Empty when a cluster can be started here (RabbitMQ installed from the OS packages); else why not. */
    public static Optional<String> whyUnavailable() {
        Path script = script();
        if (!Files.isRegularFile(script)) {
            return Optional.of(script + " is missing");
        }
        try {
            Result found = run(List.of("bash", "-c", ". \"$1\" && broker_sbin", "_", script.getParent()
                    .resolve("broker.sh").toString()), Duration.ofSeconds(30), null);
            if (!found.ok()) {
                return Optional.of("RabbitMQ is not installed here (no rabbitmq-server in /usr/lib/rabbitmq/bin nor "
                        + "on the PATH): apt-get install rabbitmq-server, or run ./run-tests.sh, which installs it");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("bash is not available: " + e.getMessage());
        }
    }

    /** Starts {@code count} nodes and clusters them (nodes 2..n join node 1); returns once all are online. */
    public static LocalCluster start(int count) {
        Path dir = Outputs.dir("rabbitmq-cluster");
        Path script = script();
        Result up = runScript(script, UP_TIMEOUT, "up", dir.toString(), Integer.toString(count));
        if (!up.ok()) {
            runScript(script, NODE_TIMEOUT, "down", dir.toString());
            throw new IllegalStateException("the cluster did not start (" + up.exitCode() + "):\n" + up.output());
        }
        List<Node> nodes = new ArrayList<>();
        String username = env("RABBITMQ_USERNAME", "guest");
        String password = env("RABBITMQ_PASSWORD", "guest");
        try {
            for (String line : Files.readAllLines(dir.resolve("nodes"))) {
                String[] field = line.trim().split("\\s+");
                if (field.length >= 4) {
                    nodes.add(new Node(Integer.parseInt(field[0]), field[1], new Endpoint("127.0.0.1",
                            Integer.parseInt(field[2]), Integer.parseInt(field[3]), username, password)));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        LocalCluster cluster = new LocalCluster(dir, script, nodes);
        System.out.println("[system-tests] " + cluster.description());
        return cluster;
    }

    public List<Node> nodes() {
        return nodes;
    }

    public Node node(int index) {
        return nodes.get(index - 1);
    }

    /** The node of an Erlang node name (as the management API reports it). */
    public Optional<Node> byName(String name) {
        return nodes.stream().filter(node -> node.name().equals(name)).findFirst();
    }

    /** host:port of every node, comma-separated (the services' RABBITMQ_ADDRESSES). */
    public String addresses() {
        return nodes.stream().map(n -> n.endpoint().host() + ":" + n.endpoint().amqpPort())
                .collect(Collectors.joining(","));
    }

    @Override
    public Endpoint endpoint() {
        return nodes.get(0).endpoint();
    }

    @Override
    public List<Endpoint> amqpNodes() {
        return nodes.stream().map(Node::endpoint).toList();
    }

    @Override
    public Optional<String> whyItCannotBeRestarted() {
        return Optional.of("a cluster: its nodes are stopped and started one at a time (LocalCluster), not all");
    }

    @Override
    public void stop() {
        throw new UnsupportedOperationException(whyItCannotBeRestarted().orElseThrow());
    }

    @Override
    public void start() {
        throw new UnsupportedOperationException(whyItCannotBeRestarted().orElseThrow());
    }

    @Override
    public void memoryAlarm(boolean raised) {
        throw new UnsupportedOperationException("no memory alarm on the cluster");
    }

    @Override
    public String description() {
        return "a cluster of " + nodes.size() + " local RabbitMQ nodes (" + nodes.stream()
                .map(n -> n.label() + "=" + n.name() + " amqp " + n.endpoint().amqpPort() + " http "
                        + n.endpoint().managementPort()).collect(Collectors.joining(", ")) + "), files in " + dir;
    }

    /** {@code rabbitmqctl stop_app}: the RabbitMQ application stops, the Erlang VM stays (as a broker restart). */
    public void stopApp(int index) {
        ctlOrFail(index, "rabbitmqctl", "-q", "stop_app");
    }

    /** {@code rabbitmqctl start_app}, then {@code await_startup}. */
    public void startApp(int index) {
        ctlOrFail(index, "rabbitmqctl", "-q", "start_app");
        ctlOrFail(index, "rabbitmqctl", "-q", "await_startup");
    }

    /** SIGKILL of the node's Erlang VM: a crash, nothing shut down. */
    public void killVm(int index) {
        scriptOrFail("kill-node", Integer.toString(index));
    }

    /** {@code rabbitmqctl stop}: the node's Erlang VM shuts down cleanly and exits. */
    public void stopVm(int index) {
        scriptOrFail("stop-node", Integer.toString(index));
    }

    /** Starts the node's VM again on its data (same name and ports; it rejoins the cluster), then awaits it. */
    public void startVm(int index) {
        scriptOrFail("start-node", Integer.toString(index));
        ctlOrFail(index, "rabbitmqctl", "-q", "await_startup");
    }

    /**
     * {@code rabbitmq-queues check_if_node_is_quorum_critical}: true when stopping the node now would leave a quorum
     * queue (or stream) without a majority, as a preStop hook of a rollout checks.
     */
    public boolean isQuorumCritical(int index) {
        return !ctl(index, "rabbitmq-queues", "-q", "check_if_node_is_quorum_critical").ok();
    }

    /** A CLI tool (rabbitmqctl, rabbitmq-queues, rabbitmq-diagnostics ...) run for one node. */
    public Result ctl(int index, String tool, String... arguments) {
        List<String> line = new ArrayList<>(List.of("ctl", dir.toString(), Integer.toString(index), tool));
        line.addAll(List.of(arguments));
        return runScript(script, CTL_TIMEOUT, line.toArray(String[]::new));
    }

    private void ctlOrFail(int index, String tool, String... arguments) {
        Result result = ctl(index, tool, arguments);
        if (!result.ok()) {
            throw new IllegalStateException(tool + " " + String.join(" ", arguments) + " on n" + index + " failed ("
                    + result.exitCode() + "): " + result.output());
        }
    }

    private void scriptOrFail(String command, String index) {
        Result result = runScript(script, NODE_TIMEOUT, command, dir.toString(), index);
        if (!result.ok()) {
            throw new IllegalStateException("cluster.sh " + command + " " + index + " failed (" + result.exitCode()
                    + "): " + result.output());
        }
    }

    /** The management API of the first node that answers (a stopped node's does not). */
    public BrokerAdmin admin() {
        for (int i = 0; i < nodes.size(); i++) {
            try {
                if (admins.get(i).get("/overview") != null) {
                    return admins.get(i);
                }
            } catch (RuntimeException down) {
                // next node
            }
        }
        throw new IllegalStateException("no node of the cluster answers on its management API");
    }

    /** The nodes the cluster reports running (management API, /api/nodes). */
    public List<Node> runningNodes() {
        List<Node> running = new ArrayList<>();
        JsonNode all = admin().get("/nodes");
        if (all != null) {
            for (JsonNode node : all) {
                if (node.path("running").asBoolean(false)) {
                    byName(node.path("name").asText()).ifPresent(running::add);
                }
            }
        }
        return running;
    }

    /** The node hosting a queue's leader (quorum queues, streams) or the queue (classic); empty if unknown. */
    public Optional<Node> leaderOf(String vhost, String queue) {
        JsonNode info = admin().queue(vhost, queue);
        if (info == null) {
            return Optional.empty();
        }
        String leader = info.path("leader").asText("");
        if (leader.isEmpty()) {
            leader = info.path("node").asText("");
        }
        return byName(leader);
    }

    /** Stops every node (also done by a shutdown hook). */
    @Override
    public void close() {
        down();
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private synchronized void down() {
        if (!closed) {
            closed = true;
            Result result = runScript(script, NODE_TIMEOUT, "down", dir.toString());
            System.out.println("[system-tests] cluster stopped (" + result.exitCode() + ")");
        }
    }

    private static Path script() {
        return Path.of(System.getProperty("rabbitworks.root", "..")).resolve("scripts/cluster.sh").toAbsolutePath()
                .normalize();
    }

    /** Runs scripts/cluster.sh; its output is also appended to target/system-logs/cluster.log. */
    private static Result runScript(Path script, Duration timeout, String... arguments) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(arguments));
        try {
            Result result = run(command, timeout, Outputs.dir("system-logs").resolve("cluster.log"));
            return result;
        } catch (IOException e) {
            return new Result(-1, e.toString());
        }
    }

    private static Result run(List<String> command, Duration timeout, Path alsoLog) throws IOException {
        Path output = Files.createTempFile(Outputs.dir("rabbitmq-cluster-cli"), "cli", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                        "/dev/null")));
        builder.environment().put("CLUSTER_OWNER_PID", Long.toString(ProcessHandle.current().pid()));
        Process process = builder.start();
        try {
            boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (alsoLog != null) {
                Files.writeString(alsoLog, "$ " + String.join(" ", command) + "\n" + text, StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            }
            return ended ? new Result(process.exitValue(), text)
                    : new Result(-1, String.join(" ", command) + " did not end within " + timeout + ":\n" + text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
