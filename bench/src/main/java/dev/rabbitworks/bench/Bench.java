package dev.rabbitworks.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.Set;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * Runs RabbitMQ PerfTest and our services side by side against one broker, with the same message size,
 * persistence, confirm mode and concurrency, and writes the table of ratios (bench/results/).
 * <p>
 * Usage (from the repository root, after building; bench/run.sh does both):
 * {@code java -cp bench/target/classes:$(cat bench/target/classpath.txt) dev.rabbitworks.bench.Bench [--quick]
 * [--only=footprint,publish,drain,fanout,rpc,scaling] [--out=bench/results]}
 */
public final class Bench {

    static final int MESSAGE_SIZE = 1000;
    /** Messages in flight on both sides of the publish scenarios: PerfTest -c, our concurrent HTTP clients. */
    static final int IN_FLIGHT = 64;
    /** POST /tasks/batch: this many clients with batches of IN_FLIGHT / BATCH_CLIENTS tasks. */
    static final int BATCH_CLIENTS = 4;
    static final int HIGH_PREFETCH = 20;
    static final String RPC_ARGUMENT = "20";
    static final Duration SCALING_WORK_UNIT = Duration.ofMillis(20);
    static final double FOOTPRINT_RSS_MIB = 120;
    static final double FOOTPRINT_START_SECONDS = 2;

    static final int PRODUCER_PORT = 18080;
    static final int WORKER_PORT = 18100;
    static final int SUBSCRIBER_PORT = 18110;
    static final int RPC_PORT = 18120;

    private static final Set<String> ALL = new LinkedHashSet<>(
            List.of("footprint", "publish", "drain", "fanout", "rpc", "scaling"));

    private final Path root;
    private final Path logs;
    private final Broker broker;
    private final Duration warmup;
    private final Duration measure;
    private final int drainMessages;
    /** Calls that warm a path up before it is measured: the JIT compiles the hot paths only after that many. */
    private final int warmupCalls;
    private final List<String> serviceJvmOptions;
    private final Vertx vertx;
    private final HttpLoad http;
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, String> commands = new LinkedHashMap<>();
    private final byte[] taskBody;
    /** The local broker's process, when there is one: its CPU is measured with each side's. */
    private final Optional<Long> brokerPid;
    private static final long SELF = ProcessHandle.current().pid();

    private Bench(Path root, Broker broker, boolean quick, List<String> serviceJvmOptions) {
        this.root = root;
        this.logs = root.resolve("bench/target/logs");
        this.broker = broker;
        this.brokerPid = CpuMeter.localBroker(broker.port);
        this.warmup = Duration.ofSeconds(quick ? 2 : 4);
        this.measure = Duration.ofSeconds(quick ? 6 : 15);
        this.drainMessages = quick ? 8_000 : 30_000;
        this.warmupCalls = quick ? 2_000 : 20_000;
        this.serviceJvmOptions = serviceJvmOptions;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        this.http = new HttpLoad(vertx);
        // A zero-work task (no '.') of exactly MESSAGE_SIZE bytes, the same size as PerfTest's messages.
        this.taskBody = "x".repeat(MESSAGE_SIZE).getBytes(StandardCharsets.UTF_8);
    }

    static final String USAGE = "bench/run.sh [--quick] [--only=footprint,publish,drain,fanout,rpc,scaling]"
            + " [--out=bench/results]\n  --quick  short windows (a smoke check of the bench, figures not for quoting)\n"
            + "  --only   the scenarios to run, e.g. --only=rpc (RPC only, about 5 min)\n"
            + "  --out    where results.md, results.json and results.svg go";

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        boolean quick = Arrays.asList(args).contains("--quick");
        Set<String> only = new LinkedHashSet<>(ALL);
        Path out = Path.of("bench/results");
        for (String arg : args) {
            if (arg.startsWith("--only=")) {
                only = new LinkedHashSet<>(Arrays.asList(arg.substring("--only=".length()).split(",")));
                only.removeIf(s -> s.isBlank());
                for (String name : only) {
                    if (!ALL.contains(name)) {
                        throw new IllegalArgumentException("unknown scenario " + name + "; known: " + ALL);
                    }
                }
            } else if (arg.startsWith("--out=")) {
                out = Path.of(arg.substring("--out=".length()));
            } else if (!arg.equals("--quick")) {
                throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        Path root = Path.of("").toAbsolutePath();
        String jvmOptions = System.getenv().getOrDefault("BENCH_SERVICE_JVM_OPTS", "");
        List<String> serviceJvmOptions = jvmOptions.isBlank() ? List.of() : List.of(jvmOptions.trim().split("\\s+"));
        Instant started = Instant.now();
        try (Broker broker = Broker.fromEnvironment()) {
            Bench bench = new Bench(root, broker, quick, serviceJvmOptions);
            try {
                bench.run(only, out, started, quick);
            } finally {
                bench.vertx.close().toCompletionStage().toCompletableFuture().join();
            }
        }
    }

    private void run(Set<String> only, Path out, Instant started, boolean quick) throws Exception {
        broker.prepareVhost();
        String loadBefore = loadAverage();
        log("broker RabbitMQ %s at %s:%d, vhost %s; load average %s; %s", broker.version(), broker.host, broker.port,
                broker.vhost, loadBefore, quick ? "quick run" : "full run");
        if (only.contains("footprint")) {
            footprint();
        }
        if (only.contains("publish") || only.contains("drain") || only.contains("fanout") || only.contains("rpc")
                || only.contains("scaling")) {
            try (ServiceProcess producer = start("producer-service", "producer", PRODUCER_PORT, Map.of())) {
                producer.awaitReady();
                if (only.contains("publish")) {
                    publish(producer);
                }
                if (only.contains("drain")) {
                    drain(1);
                    drain(HIGH_PREFETCH);
                }
                if (only.contains("fanout")) {
                    fanout(producer);
                }
                if (only.contains("rpc")) {
                    rpc(producer);
                }
                if (only.contains("scaling")) {
                    scaling();
                }
            }
        }
        broker.deleteAllQueues();
        Instant finished = Instant.now();
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("started", started.truncatedTo(ChronoUnit.SECONDS).toString());
        run.put("finished", finished.truncatedTo(ChronoUnit.SECONDS).toString());
        run.put("durationSeconds", Duration.between(started, finished).toSeconds());
        run.put("machine", Runtime.getRuntime().availableProcessors() + " cores, load average before "
                + loadBefore + ", after " + loadAverage());
        run.put("broker", "RabbitMQ " + broker.version() + " at " + broker.host + ":" + broker.port + ", vhost "
                + broker.vhost);
        run.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        run.put("serviceJvmOptions", String.join(" ", serviceJvmOptions));
        run.put("quick", quick);
        run.put("warmupSeconds", warmup.toSeconds());
        run.put("measureSeconds", measure.toSeconds());
        run.put("messageSize", MESSAGE_SIZE);
        run.put("inFlight", IN_FLIGHT);
        run.put("commands", commands);
        Report.write(out, rows, run);
        System.out.println();
        System.out.print(Report.console(rows));
        System.out.printf(Locale.ROOT, "%nwritten to %s (results.json, results.md, results.svg) in %d s%n",
                out, Duration.between(started, finished).toSeconds());
    }

    // ---------------------------------------------------------------- 6. footprint

    private void footprint() throws Exception {
        String[][] services = { { "producer-service", "producer" }, { "worker-service", "worker" },
                { "log-subscriber-service", "log-subscriber" }, { "rpc-service", "rpc" } };
        String deployed = String.join(" ", AS_DEPLOYED_JVM);
        int port = PRODUCER_PORT;
        for (String[] service : services) {
            double[] figures = footprintOf(service[0], service[1] + "-footprint", port++, AS_DEPLOYED_JVM);
            rows.add(Row.absolute("6 footprint · " + service[1], "start to ready", "s", figures[0],
                    FOOTPRINT_START_SECONDS, String.format(Locale.ROOT,
                            "as deployed (%s: the JVM's view of deploy/'s pods, 1 CPU and 512Mi); process spawn to"
                                    + " first 200 on /q/health/ready (broker connected); Quarkus's own 'started in'"
                                    + " %.2f s", deployed, figures[1])));
            rows.add(Row.absolute("6 footprint · " + service[1], "idle RSS", "MiB", figures[2], FOOTPRINT_RSS_MIB,
                    "as deployed (" + deployed + "); VmRSS 5 s after ready, no traffic"));
            double[] plain = footprintOf(service[0], service[1] + "-footprint-plain", port++, List.of());
            rows.add(Row.info("6 footprint · " + service[1], "idle RSS, plain java -jar", "MiB", "as deployed",
                    figures[2], plain[2], String.format(Locale.ROOT, "on this %d GiB, %d-core machine the JVM picks"
                            + " G1 and sizes its heap from the host; ready in %.2f s", hostMemoryGiB(),
                            Runtime.getRuntime().availableProcessors(), plain[0])));
        }
    }

    /**
     * The JVM's view of a pod of deploy/ (limits: cpu 1, memory 512Mi): with one processor and 512 MiB it picks
     * the Serial GC, a heap of at most 128 MiB, and sizes its thread pools (and Quarkus's) for one core.
     */
    static final List<String> AS_DEPLOYED_JVM = List.of("-XX:MaxRAM=512m", "-XX:ActiveProcessorCount=1");

    private static long hostMemoryGiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Math.round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }

    /** {seconds to ready, Quarkus started-in seconds, idle RSS MiB}. */
    private double[] footprintOf(String module, String name, int port, List<String> jvmOptions) throws Exception {
        broker.deleteAllQueues();
        List<String> options = jvmOptions.isEmpty() ? serviceJvmOptions : jvmOptions;
        try (ServiceProcess service = ServiceProcess.start(root, broker, options, module, name, port, Map.of())) {
            double ready = service.awaitReady().toMillis() / 1000.0;
            Thread.sleep(5_000);
            double rss = service.rssMiB();
            log("%s: ready in %.2f s (Quarkus: started in %.2f s), idle RSS %.0f MiB", name, ready,
                    service.quarkusStartedInSeconds(), rss);
            return new double[] { ready, service.quarkusStartedInSeconds(), rss };
        }
    }

    // ---------------------------------------------------------------- 1. publish

    private void publish(ServiceProcess producer) throws Exception {
        String queue = "bench-publish";
        broker.deleteQueue(queue);
        List<String> args = List.of("-h", broker.uri(), "-x", "1", "-y", "0", "-u", queue, "-qq",
                "-s", Integer.toString(MESSAGE_SIZE), "-f", "persistent", "-f", "mandatory",
                "-c", Integer.toString(IN_FLIGHT), "-z", Long.toString(warmup.plus(measure).toSeconds()));
        TimedPerfTest perfTest = timedPerfTest("perftest-publish", "1 publish (PerfTest)", args);
        List<PerfTestRun.Second> window = perfTest.window();
        double perfRate = PerfTestRun.mean(window, PerfTestRun.Second::sent);
        double perfP50 = PerfTestRun.mean(window, PerfTestRun.Second::confirmP50Micros) / 1000;
        double perfP99 = PerfTestRun.mean(window, PerfTestRun.Second::confirmP99Micros) / 1000;
        log("PerfTest publish: %.0f msg/s, confirm latency p50 %.2f ms p99 %.2f ms", perfRate, perfP50, perfP99);
        broker.deleteQueue(queue);

        // A fresh producer spends its first ~20k requests compiling them (on a slow machine the JIT was still taking
        // a third of its CPU after 4 s): warm the path up by calls, as for RPC, before the measured run.
        warmUpHttp("POST /tasks", "/tasks", "text/plain", taskBody, IN_FLIGHT, 202, warmupCalls);
        broker.purge("task_queue");
        AcceptedEvents events = AcceptedEvents.count(producer);
        CompletableFuture<CpuMeter.Usage> tasksCpu = cpuWindow("producer", producer.pid(), "HTTP load", SELF);
        HttpLoad.Result tasks = http.run(PRODUCER_PORT, "/tasks", "text/plain", () -> taskBody, IN_FLIGHT, warmup,
                measure, 202);
        events = events.since(producer);
        commands.put("1 publish (ours)", "POST /tasks, " + MESSAGE_SIZE + "-byte text/plain bodies, " + IN_FLIGHT
                + " concurrent keep-alive HTTP clients (Vert.x HttpClient, closed loop)");
        commands.put("1 publish (warm-up)", warmupCalls + " requests of POST /tasks and " + warmupCalls
                + " tasks in batches before measuring each, then " + warmup.toSeconds() + " s unmeasured");
        log("POST /tasks: %.0f req/s, p50 %.2f ms p99 %.2f ms, statuses %s", tasks.rate(), tasks.p50Millis(),
                tasks.p99Millis(), tasks.statuses());
        broker.purge("task_queue");
        rows.add(Row.ratio("1 publish · POST /tasks", "throughput", "msg/s", "PerfTest", perfRate, tasks.rate(), 0.9,
                true, IN_FLIGHT + " in flight, persistent, confirmed, mandatory, 1000 B, quorum queue; HTTP statuses "
                        + tasks.statuses() + "; " + events));
        rows.add(Row.info("1 publish · POST /tasks", "latency p50", "ms", "PerfTest", perfP50, tasks.p50Millis(),
                "ours: HTTP request to 202; PerfTest: publish to confirm (mean of its per-second medians)"));
        rows.add(Row.info("1 publish · POST /tasks", "latency p99", "ms", "PerfTest", perfP99, tasks.p99Millis(),
                "ours: HTTP request to 202; PerfTest: publish to confirm (mean of its per-second p99)"));
        rows.add(cpuRow("1 publish · POST /tasks", perfTest.cpu(), perfRate, tasksCpu.join(), tasks.rate()));

        int batchSize = IN_FLIGHT / BATCH_CLIENTS;
        byte[] batch = batchBody(batchSize);
        warmUpHttp("POST /tasks/batch", "/tasks/batch", "application/json", batch, BATCH_CLIENTS, 202,
                warmupCalls / batchSize);
        broker.purge("task_queue");
        AcceptedEvents batchEvents = AcceptedEvents.count(producer);
        CompletableFuture<CpuMeter.Usage> batchCpu = cpuWindow("producer", producer.pid(), "HTTP load", SELF);
        HttpLoad.Result batches = http.run(PRODUCER_PORT, "/tasks/batch", "application/json", () -> batch,
                BATCH_CLIENTS, warmup, measure, 202);
        batchEvents = batchEvents.since(producer);
        double batchRate = batches.rate() * batchSize;
        commands.put("1 publish (ours, batch)", "POST /tasks/batch, JSON arrays of " + batchSize + " strings of "
                + MESSAGE_SIZE + " characters, " + BATCH_CLIENTS + " concurrent HTTP clients (" + IN_FLIGHT
                + " tasks in flight)");
        log("POST /tasks/batch: %.0f batches/s = %.0f msg/s, p50 %.2f ms p99 %.2f ms, statuses %s", batches.rate(),
                batchRate, batches.p50Millis(), batches.p99Millis(), batches.statuses());
        broker.purge("task_queue");
        rows.add(Row.ratio("1 publish · POST /tasks/batch", "throughput", "msg/s", "PerfTest", perfRate, batchRate,
                1.0, true, BATCH_CLIENTS + " clients × " + batchSize + " tasks = " + IN_FLIGHT
                        + " in flight; batch latency p50 " + Report.number(batches.p50Millis()) + " ms, p99 "
                        + Report.number(batches.p99Millis()) + " ms; " + batchEvents));
        rows.add(cpuRow("1 publish · POST /tasks/batch", perfTest.cpu(), perfRate, batchCpu.join(), batchRate));
    }

    /**
     * The producer's task.accepted messages against its tasks, from its publish counters: how many tasks one event
     * message carries (docs/messaging-contract.md, "Task lifecycle events"). Counted over the whole load run.
     */
    private record AcceptedEvents(double tasks, double messages) {

        static AcceptedEvents count(ServiceProcess producer) throws Exception {
            return new AcceptedEvents(producer.metric("producer_publishes_total", "target=\"task\""),
                    producer.metric("producer_publishes_total", "target=\"event\""));
        }

        AcceptedEvents since(ServiceProcess producer) throws Exception {
            AcceptedEvents now = count(producer);
            return new AcceptedEvents(now.tasks - tasks, now.messages - messages);
        }

        @Override
        public String toString() {
            return String.format("task.accepted: %.0f messages for %.0f tasks (%.1f tasks per message)", messages,
                    tasks, messages == 0 ? 0 : tasks / messages);
        }
    }

    private byte[] batchBody(int size) {
        StringBuilder json = new StringBuilder("[");
        String task = new String(taskBody, StandardCharsets.UTF_8);
        for (int i = 0; i < size; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(task).append('"');
        }
        return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- 2. drain

    private void drain(int prefetch) throws Exception {
        String queue = "bench-drain";
        broker.deleteQueue(queue);
        PerfTestRun fill = PerfTestRun.start(logs, "perftest-drain-fill", List.of("-h", broker.uri(), "-x", "1",
                "-y", "0", "-u", queue, "-qq", "-s", Integer.toString(MESSAGE_SIZE), "-f", "persistent",
                "-c", Integer.toString(IN_FLIGHT), "-C", Integer.toString(drainMessages)));
        fill.await(120);
        PerfTestRun consume = PerfTestRun.start(logs, "perftest-drain-q" + prefetch, List.of("-h", broker.uri(),
                "-x", "0", "-y", "1", "-u", queue, "-qq", "-q", Integer.toString(prefetch),
                "-D", Integer.toString(drainMessages), "-z", "120"));
        Drained perf = drainRate(queue, drainMessages, pids("PerfTest", consume.pid()));
        double perfRate = perf.rate();
        consume.await(120);
        commands.put("2 drain q" + prefetch + " (PerfTest)", consume.commandLine() + "  (queue filled with "
                + fill.commandLine() + ")");
        broker.deleteQueue(queue);

        broker.purge("task_queue");
        broker.fill("task_queue", drainMessages, taskBody, "text/plain");
        Drained worker;
        try (ServiceProcess process = start("worker-service", "worker-drain-q" + prefetch, WORKER_PORT,
                Map.of("WORKER_PREFETCH", Integer.toString(prefetch), "WORKER_INSTANCE_NAME", "bench-worker"))) {
            worker = drainRate("task_queue", drainMessages, pids("worker", process.pid()));
        }
        double ours = worker.rate();
        commands.put("2 drain q" + prefetch + " (ours)", "worker-service with WORKER_PREFETCH=" + prefetch + " on "
                + drainMessages + " zero-work tasks of " + MESSAGE_SIZE + " B");
        log("drain at prefetch %d: PerfTest %.0f msg/s, worker %.0f msg/s", prefetch, perfRate, ours);
        broker.purge("task_queue");
        rows.add(Row.ratio("2 worker drain · prefetch " + prefetch, "throughput", "msg/s", "PerfTest -q " + prefetch,
                perfRate, ours, 0.9, true, drainMessages + " persistent 1000 B messages in a quorum queue, manual"
                        + " acks; ours also publishes a confirmed task.completed event per task"));
        rows.add(cpuRow("2 worker drain · prefetch " + prefetch, perf.cpu(), perfRate, worker.cpu(), ours));
    }

    /** A drain's rate and the CPU it took. */
    private record Drained(double rate, CpuMeter.Usage cpu) {
    }

    /**
     * How fast a queue filled with {@code total} messages is emptied by the consumer just started: ready messages
     * polled every 50 ms, the rate (and the CPU of {@code pids}) taken between 60 % and 10 % left, so that both
     * JVMs are past their start and first JIT compilations, and the tail is left out.
     */
    private Drained drainRate(String queue, int total, Map<String, Long> pids) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        long tHigh = -1;
        long rHigh = -1;
        CpuMeter.Span cpu = null;
        while (System.nanoTime() < deadline) {
            long ready = broker.ready(queue);
            long now = System.nanoTime();
            if (tHigh < 0 && ready <= total * 0.6) {
                tHigh = now;
                rHigh = ready;
                cpu = CpuMeter.start(pids);
            }
            if (tHigh >= 0 && ready <= total * 0.1) {
                return new Drained((rHigh - ready) / ((now - tHigh) / 1e9), cpu.stop());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(queue + " was not drained within 180 s");
    }

    // ---------------------------------------------------------------- 3. fanout

    private void fanout(ServiceProcess producer) throws Exception {
        String exchange = "bench-fanout";
        List<String> args = List.of("-h", broker.uri(), "-x", "1", "-y", "3", "-E", "-e", exchange, "-t", "fanout",
                "-s", Integer.toString(MESSAGE_SIZE), "-f", "persistent", "-f", "mandatory",
                "-c", Integer.toString(IN_FLIGHT), "-q", "100", "-z", Long.toString(warmup.plus(measure).toSeconds()));
        TimedPerfTest perfTest = timedPerfTest("perftest-fanout", "3 fanout (PerfTest)", args);
        List<PerfTestRun.Second> window = perfTest.window();
        double perfDelivered = PerfTestRun.mean(window, PerfTestRun.Second::received);
        broker.deleteExchange(exchange);

        List<ServiceProcess> subscribers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                subscribers.add(start("log-subscriber-service", "log-subscriber-" + (i + 1), SUBSCRIBER_PORT + i,
                        Map.of("SUBSCRIBER_DIRECT", "false", "SUBSCRIBER_TOPIC", "false")));
            }
            for (ServiceProcess subscriber : subscribers) {
                subscriber.awaitReady();
            }
            awaitBoundQueues("logs", 3);
            double[] before = new double[1];
            Thread sampler = new Thread(() -> {
                try {
                    Thread.sleep(warmup.toMillis());
                    before[0] = received(subscribers);
                } catch (Exception e) {
                    before[0] = Double.NaN;
                }
            });
            sampler.start();
            Map<String, Long> fanoutPids = new LinkedHashMap<>();
            fanoutPids.put("producer", producer.pid());
            fanoutPids.put("HTTP load", SELF);
            for (ServiceProcess subscriber : subscribers) {
                fanoutPids.put(subscriber.name, subscriber.pid());
            }
            CompletableFuture<CpuMeter.Usage> oursCpu = cpuWindow(fanoutPids);
            HttpLoad.Result load = http.run(PRODUCER_PORT, "/broadcast", "text/plain", () -> taskBody, IN_FLIGHT,
                    warmup, measure, 202);
            sampler.join();
            double ours = (received(subscribers) - before[0]) / measure.toSeconds();
            commands.put("3 fanout (ours)", "POST /broadcast, " + MESSAGE_SIZE + " B, " + IN_FLIGHT
                    + " concurrent HTTP clients; 3 log-subscriber-service instances (fanout only)");
            log("fanout: PerfTest delivered %.0f msg/s; ours published %.0f req/s, delivered %.0f msg/s (statuses %s)",
                    perfDelivered, load.rate(), ours, load.statuses());
            rows.add(Row.ratio("3 fanout · POST /broadcast → 3 subscribers", "delivered", "msg/s",
                    "PerfTest -y 3", perfDelivered, ours, 0.9, true, "published " + Report.number(load.rate())
                            + " req/s; delivered counted by the subscribers' subscriber_messages_received_total"
                            + " (over the window, messages still queued at its end not counted)"));
            rows.add(cpuRow("3 fanout · POST /broadcast → 3 subscribers", perfTest.cpu(), perfDelivered,
                    oursCpu.join(), ours));
        } finally {
            subscribers.forEach(ServiceProcess::close);
        }
    }

    private static double received(List<ServiceProcess> subscribers) throws Exception {
        double total = 0;
        for (ServiceProcess subscriber : subscribers) {
            total += subscriber.metricSum("subscriber_messages_received_total", "exchange=\"logs\"");
        }
        return total;
    }

    private void awaitBoundQueues(String exchange, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (broker.boundQueues(exchange).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(count + " queues not bound to " + exchange + " within 30 s");
            }
            Thread.sleep(100);
        }
    }

    // ---------------------------------------------------------------- 4. rpc

    /** Queue of the raw amqp-client RpcServer + RpcClient pair (the RPC baseline). */
    static final String RAW_RPC_QUEUE = "bench-raw-rpc";
    /** Makes the rpc-service declare rpc_queue as another type (its connector's queue.x-queue-type). */
    static final String RPC_QUEUE_TYPE_ENV = "TOPOLOGY_RPC_QUEUE_TYPE";

    /**
     * POST /rpc/fib through the producer to one rpc-service replica, against the amqp-client's own RpcServer +
     * RpcClient on a queue of their own, same broker, same run: each path first warmed up with
     * {@link #warmupCalls} calls (JIT), then sequential latency (1 caller) and throughput at 1, 4 and 16
     * callers, with the CPU each side spends per call. Then the sequential p50 with rpc_queue (and the raw pair's
     * queue) as quorum queues, and our rpc-service called over AMQP without the HTTP hop (extra row).
     */
    private void rpc(ServiceProcess producer) throws Exception {
        byte[] argument = RPC_ARGUMENT.getBytes(StandardCharsets.UTF_8);
        Map<Integer, HttpLoad.Result> raw = new LinkedHashMap<>();
        Map<Integer, HttpLoad.Result> ours = new LinkedHashMap<>();
        Map<Integer, CpuMeter.Usage> rawCpu = new LinkedHashMap<>();
        Map<Integer, CpuMeter.Usage> oursCpu = new LinkedHashMap<>();
        HttpLoad.Result rawQuorum;
        HttpLoad.Result oursQuorum = null;
        HttpLoad.Result plainToOurs;

        try (RawRpcPair pair = new RawRpcPair(broker, RAW_RPC_QUEUE, "classic", RPC_PREFETCH)) {
            BlockingLoad.Call call = () -> pair.call(argument);
            warmUpBlocking("raw RpcServer + RpcClient", call);
            for (int callers : RPC_CALLERS) {
                CompletableFuture<CpuMeter.Usage> cpu = cpuWindow("bench (raw client + server)", SELF);
                raw.put(callers, BlockingLoad.run(call, callers, warmup, measure, "raw-rpc"));
                rawCpu.put(callers, cpu.join());
                log("raw pair, %d caller(s): %.0f calls/s, p50 %.3f ms p99 %.3f ms, failed %d", callers,
                        raw.get(callers).rate(), raw.get(callers).p50Millis(), raw.get(callers).p99Millis(),
                        raw.get(callers).failed());
            }
        }
        broker.deleteQueue(RAW_RPC_QUEUE);

        broker.deleteQueue("rpc_queue");
        try (ServiceProcess replica = start("rpc-service", "rpc-1", RPC_PORT, Map.of("RPC_INSTANCE_NAME", "bench-rpc-1"))) {
            replica.awaitReady();
            warmUpHttp("POST /rpc/fib", "/rpc/fib", "text/plain", argument, RPC_WARMUP_CALLERS, 200, warmupCalls);
            for (int callers : RPC_CALLERS) {
                CompletableFuture<CpuMeter.Usage> cpu = cpuWindow("producer", producer.pid(), "rpc-service",
                        replica.pid(), "HTTP load", SELF);
                ours.put(callers, http.run(PRODUCER_PORT, "/rpc/fib", "text/plain", () -> argument, callers, warmup,
                        measure, 200));
                oursCpu.put(callers, cpu.join());
                log("POST /rpc/fib, %d caller(s): %.0f calls/s, p50 %.3f ms p99 %.3f ms, statuses %s", callers,
                        ours.get(callers).rate(), ours.get(callers).p50Millis(), ours.get(callers).p99Millis(),
                        ours.get(callers).statuses());
            }
            try (PlainRpcClient plain = new PlainRpcClient(broker, "rpc_queue")) {
                plainToOurs = plain.load("fib", RPC_ARGUMENT, 1, warmup, measure);
                log("plain amqp-client -> our rpc-service, 1 caller: p50 %.3f ms p99 %.3f ms", plainToOurs.p50Millis(),
                        plainToOurs.p99Millis());
            }
        }

        try (RawRpcPair pair = new RawRpcPair(broker, RAW_RPC_QUEUE, "quorum", RPC_PREFETCH)) {
            BlockingLoad.Call call = () -> pair.call(argument);
            warmUpBlocking("raw pair, quorum queue", call);
            rawQuorum = BlockingLoad.run(call, 1, warmup, measure, "raw-rpc-quorum");
            log("raw pair, quorum queue, 1 caller: p50 %.3f ms p99 %.3f ms", rawQuorum.p50Millis(),
                    rawQuorum.p99Millis());
        }
        broker.deleteQueue(RAW_RPC_QUEUE);
        broker.deleteQueue("rpc_queue");
        try (ServiceProcess replica = start("rpc-service", "rpc-quorum", RPC_PORT + 1, Map.of("RPC_INSTANCE_NAME",
                "bench-rpc-quorum", RPC_QUEUE_TYPE_ENV, "quorum"))) {
            replica.awaitReady();
            com.fasterxml.jackson.databind.JsonNode queue = broker.get("/queues/"
                    + java.net.URLEncoder.encode(broker.vhost, StandardCharsets.UTF_8) + "/rpc_queue");
            String type = queue == null ? "missing" : queue.path("type").asText();
            if (!type.equals("quorum")) {
                throw new IllegalStateException("rpc_queue was declared " + type + ", not quorum (an older rpc-service)");
            }
            warmUpHttp("POST /rpc/fib, quorum rpc_queue", "/rpc/fib", "text/plain", argument, RPC_WARMUP_CALLERS, 200,
                    warmupCalls);
            oursQuorum = http.run(PRODUCER_PORT, "/rpc/fib", "text/plain", () -> argument, 1, warmup, measure, 200);
            log("POST /rpc/fib, quorum rpc_queue, 1 caller: p50 %.3f ms p99 %.3f ms (statuses %s)",
                    oursQuorum.p50Millis(), oursQuorum.p99Millis(), oursQuorum.statuses());
        } catch (IllegalStateException e) {
            // An rpc-service built before TOPOLOGY_RPC_QUEUE_TYPE: it declares a classic queue or does not start.
            log("no quorum figure for our side: %s", e.getMessage());
        } finally {
            broker.deleteQueue("rpc_queue");
        }

        commands.put("4 rpc (raw)", "amqp-client RpcServer (own thread, basic.qos " + RPC_PREFETCH + ", ack after"
                + " the reply) + RpcClient (direct reply-to, shared by the callers) on queue " + RAW_RPC_QUEUE
                + ", fib(" + RPC_ARGUMENT + "), transient requests, blocking callers in the bench's JVM");
        commands.put("4 rpc (ours)", "POST /rpc/fib body " + RPC_ARGUMENT + " to the producer, 1 rpc-service replica"
                + " (rpc.prefetch " + RPC_PREFETCH + "), closed-loop HTTP callers");
        commands.put("4 rpc (warm-up)", warmupCalls + " calls per path (" + RPC_WARMUP_CALLERS
                + " callers) before measuring, then " + warmup.toSeconds() + " s unmeasured before each window");
        String scenario = "4 rpc · POST /rpc/fib, 1 replica";
        String baseline = "raw RpcServer+RpcClient";
        HttpLoad.Result rawSeq = raw.get(1);
        HttpLoad.Result oursSeq = ours.get(1);
        rows.add(Row.ratio(scenario, "latency p50, sequential", "ms", baseline, rawSeq.p50Millis(),
                oursSeq.p50Millis(), 1.5, false, "one call at a time"));
        rows.add(Row.info(scenario, "latency p99, sequential", "ms", baseline, rawSeq.p99Millis(),
                oursSeq.p99Millis(), "one call at a time"));
        for (int callers : RPC_CALLERS) {
            HttpLoad.Result r = raw.get(callers);
            HttpLoad.Result o = ours.get(callers);
            rows.add(Row.info(scenario, "throughput, " + callers + " caller(s)", "calls/s", baseline, r.rate(),
                    o.rate(), "p50/p99 ours " + Report.number(o.p50Millis()) + "/" + Report.number(o.p99Millis())
                            + " ms, raw " + Report.number(r.p50Millis()) + "/" + Report.number(r.p99Millis())
                            + " ms; HTTP statuses " + o.statuses() + ", raw failures " + r.failed()));
            rows.add(cpuRow(scenario + ", " + callers + " caller(s)", rawCpu.get(callers), r.rate(),
                    oursCpu.get(callers), o.rate()));
        }
        rows.add(Row.info("4 rpc · quorum queue vs classic", "raw pair p50, sequential", "ms", "classic",
                rawSeq.p50Millis(), rawQuorum.p50Millis(), "same pair, its queue declared x-queue-type=quorum"));
        if (oursQuorum != null) {
            rows.add(Row.info("4 rpc · quorum queue vs classic", "POST /rpc/fib p50, sequential", "ms", "classic",
                    oursSeq.p50Millis(), oursQuorum.p50Millis(), "rpc_queue declared quorum by the rpc-service ("
                            + RPC_QUEUE_TYPE_ENV + "=quorum); p99 " + Report.number(oursQuorum.p99Millis())
                            + " ms against " + Report.number(oursSeq.p99Millis())));
        }
        rows.add(Row.info("4 rpc · without the HTTP hop", "p50, sequential", "ms", baseline, rawSeq.p50Millis(),
                plainToOurs.p50Millis(), "a plain amqp-client caller (direct reply-to) calling our rpc-service; p99 "
                        + Report.number(plainToOurs.p99Millis()) + " ms"));
    }

    /** Callers during the warm-up of an RPC path. */
    static final int RPC_WARMUP_CALLERS = 4;
    static final int[] RPC_CALLERS = { 1, 4, 16 };
    static final int RPC_PREFETCH = 10;

    private void warmUpBlocking(String name, BlockingLoad.Call call) throws InterruptedException {
        long start = System.nanoTime();
        long done = 0;
        while (done < warmupCalls) {
            HttpLoad.Result chunk = BlockingLoad.run(call, RPC_WARMUP_CALLERS, Duration.ZERO, Duration.ofSeconds(2),
                    "warm-up");
            done += chunk.ok() + chunk.failed();
        }
        log("%s: warmed up with %d calls in %.1f s", name, done, (System.nanoTime() - start) / 1e9);
    }

    private void warmUpHttp(String name, String path, String contentType, byte[] body, int callers, int status,
            int calls) throws InterruptedException {
        long start = System.nanoTime();
        long done = 0;
        while (done < calls) {
            HttpLoad.Result chunk = http.run(PRODUCER_PORT, path, contentType, () -> body, callers, Duration.ZERO,
                    Duration.ofSeconds(2), status);
            done += chunk.ok() + chunk.failed();
        }
        log("%s: warmed up with %d calls in %.1f s", name, done, (System.nanoTime() - start) / 1e9);
    }

    // ---------------------------------------------------------------- 5. scaling

    private void scaling() throws Exception {
        double[] rates = new double[5];
        for (int workers : new int[] { 1, 2, 4 }) {
            rates[workers] = scalingRate(workers);
            log("scaling: %d worker(s): %.1f tasks/s", workers, rates[workers]);
        }
        commands.put("5 scaling (ours)", "N worker-service instances, WORKER_PREFETCH=1, WORKER_WORK_UNIT="
                + SCALING_WORK_UNIT.toMillis() + "ms, tasks of one unit ('.'), queue kept non-empty");
        double ideal = 1000.0 / SCALING_WORK_UNIT.toMillis();
        rows.add(Row.info("5 scaling · 1 worker", "throughput", "tasks/s", "ideal (1/work)", ideal, rates[1],
                "dispatch overhead per task = " + Report.number(1000.0 / rates[1] - SCALING_WORK_UNIT.toMillis())
                        + " ms"));
        rows.add(Row.info("5 scaling · 2 workers", "throughput", "tasks/s", "1 worker", rates[1], rates[2], ""));
        rows.add(Row.ratio("5 scaling · 4 workers", "throughput", "tasks/s", "1 worker", rates[1], rates[4], 3.6,
                true, "sleep-bound work: tests dispatch, not CPU"));
    }

    private double scalingRate(int count) throws Exception {
        broker.purge("task_queue");
        List<ServiceProcess> workers = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                workers.add(start("worker-service", "worker-scale-" + count + "-" + (i + 1), WORKER_PORT + i,
                        Map.of("WORKER_PREFETCH", "1", "WORKER_WORK_UNIT", SCALING_WORK_UNIT.toMillis() + "ms",
                                "WORKER_INSTANCE_NAME", "bench-worker-" + (i + 1))));
            }
            for (ServiceProcess worker : workers) {
                worker.awaitReady();
            }
            double ideal = count * 1000.0 / SCALING_WORK_UNIT.toMillis();
            int tasks = (int) Math.ceil(ideal * (measure.toSeconds() + 3) * 1.3);
            broker.fill("task_queue", tasks, "one unit of work.".getBytes(StandardCharsets.UTF_8), "text/plain");
            Thread.sleep(1_000);
            long before = broker.ready("task_queue");
            long start = System.nanoTime();
            Thread.sleep(measure.toMillis());
            long after = broker.ready("task_queue");
            double seconds = (System.nanoTime() - start) / 1e9;
            if (after == 0) {
                log("warning: the queue ran empty during the scaling window with %d workers", count);
            }
            return (before - after) / seconds;
        } finally {
            workers.forEach(ServiceProcess::close);
            broker.purge("task_queue");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A PerfTest run that ends by itself after warm-up + measure: its seconds in the window, and its CPU. */
    private record TimedPerfTest(List<PerfTestRun.Second> window, CpuMeter.Usage cpu) {
    }

    private TimedPerfTest timedPerfTest(String logName, String commandKey, List<String> args) throws Exception {
        PerfTestRun perfTest = PerfTestRun.start(logs, logName, args);
        CompletableFuture<CpuMeter.Usage> cpu = cpuWindow("PerfTest", perfTest.pid());
        perfTest.await(warmup.plus(measure).toSeconds() + 60);
        commands.put(commandKey, perfTest.commandLine());
        return new TimedPerfTest(perfTest.window(warmup.toSeconds(), warmup.plus(measure).toSeconds()), cpu.join());
    }

    /** The broker (when local) and the given processes, by name: "name", pid, "name", pid... */
    private Map<String, Long> pids(Object... namesAndPids) {
        Map<String, Long> pids = new LinkedHashMap<>();
        brokerPid.ifPresent(pid -> pids.put("broker", pid));
        for (int i = 0; i < namesAndPids.length; i += 2) {
            pids.put((String) namesAndPids[i], (Long) namesAndPids[i + 1]);
        }
        return pids;
    }

    private CompletableFuture<CpuMeter.Usage> cpuWindow(Object... namesAndPids) {
        return cpuWindow(pids(namesAndPids));
    }

    /** The CPU of the broker and {@code processes} over a load's measuring window (ended 1 s early: PerfTest exits). */
    private CompletableFuture<CpuMeter.Usage> cpuWindow(Map<String, Long> processes) {
        Map<String, Long> all = pids();
        all.putAll(processes);
        return CpuMeter.window(warmup, measure.minusSeconds(1), all);
    }

    /**
     * The CPU each side spent per message: on a machine whose cores are all busy, the throughput ratio cannot
     * beat the inverse of this ratio.
     */
    private static Row cpuRow(String scenario, CpuMeter.Usage baseline, double baselineRate, CpuMeter.Usage ours,
            double oursRate) {
        return Row.info(scenario, "CPU per message", "µs", "same baseline", baseline.microsPerMessage(baselineRate),
                ours.microsPerMessage(oursRate), "baseline: " + baseline.perMessage(baselineRate) + "; ours: "
                        + ours.perMessage(oursRate));
    }

    private ServiceProcess start(String module, String name, int port, Map<String, String> env) throws IOException {
        return ServiceProcess.start(root, broker, serviceJvmOptions, module, name, port, env);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[bench %s] %s%n", java.time.LocalTime.now().truncatedTo(ChronoUnit.SECONDS),
                String.format(Locale.ROOT, format, args));
    }
}
