package dev.rabbitworks.system.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import dev.rabbitworks.broker.MessagingContract;
import dev.rabbitworks.broker.TopologyNames;
import dev.rabbitworks.system.support.Amqp;
import dev.rabbitworks.system.support.Http;
import dev.rabbitworks.system.support.LocalCluster;
import dev.rabbitworks.system.support.Service;
import dev.rabbitworks.system.support.ServiceProcess;
import dev.rabbitworks.system.support.SystemUnderTest;
import dev.rabbitworks.system.support.Tally;
import dev.rabbitworks.system.support.TaskEvents;
import dev.rabbitworks.system.support.TaskLoad;

/**
 * The system on a real cluster of three RabbitMQ nodes (the OS package, started on this machine by
 * scripts/cluster.sh, never the broker the other tests share), under a steady load of short tasks, while its nodes
 * go one at a time: (1) the node of each replicated queue's leader, (2) a rolling restart of all three, (3) a node
 * that crashes and comes back after a while. Each scenario counts every accepted task end to end (lost must be 0)
 * and times the recovery; every service must be ready again and {@code task_queue} consumed by both workers again
 * within {@link #RECOVER_WITHIN}.
 *
 * <p>Every service gets {@code RABBITMQ_HOST/PORT} of node 1 and {@code RABBITMQ_ADDRESSES} with all three nodes. A
 * service whose packaged code never mentions the addresses setting reconnects to node 1 only: a stop of node 1 is
 * then an outage of that service, which must end within the bound once node 1 is back (as BrokerRestartIT); a stop
 * of node 2 or 3 must not stop the task path at all (a task accepted while the node is down is completed while it is
 * still down). A service that takes the addresses must keep working while any one node is down.
 * {@code SYSTEM_TESTS_CLUSTER_FAILOVER=true|false} overrides what is read from the packages.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverIT {

    /**
     * Tasks a second, for the whole of each scenario: modest, well below what two workers do on 2 busy cores (≈ 20 a
     * second), so that no backlog builds and a task sent after a stop is done within a second or so when nothing is
     * in the way.
     */
    private static final int RATE = 10;
    /** The bound: every service ready, both workers consuming, a task done end to end. */
    private static final Duration RECOVER_WITHIN = Duration.ofSeconds(30);
    /** How long a node stays down in scenario 1 (at least). */
    private static final Duration DOWN_FOR = Duration.ofSeconds(5);
    /** How long the crashed node of scenario 3 stays away, the load going on. */
    private static final Duration AWAY_FOR = Duration.ofSeconds(15);
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(90);
    private static final Duration COMPLETION_TIMEOUT = Duration.ofSeconds(90);
    private static final String TASK_QUEUE = TopologyNames.DEFAULTS.taskQueue();
    /** The node of every service's RABBITMQ_HOST. */
    private static final int SERVICES_NODE = 1;

    private static LocalCluster cluster;
    private static SystemUnderTest system;
    private static TaskEvents events;
    private static ServiceProcess producer;
    private static ServiceProcess workerA;
    private static ServiceProcess workerB;
    private static ServiceProcess rpc;
    private static List<ServiceProcess> services;
    private static Set<Service> failover;
    private static int consumers;

    /** One node stopped and started again, with what was measured. */
    record Step(String what, String node, String how, boolean taskPathExpected, long downMillis, long whileDownMillis,
            long e2eWhileDownMillis, String notReadyWhileDown, long rejoinedMillis, long recoveredMillis,
            long e2eAfterBackMillis, String waitedFor, long stopCommandMillis) {
        String line() {
            return String.format("[cluster] %-24s node=%s %s down=%dms task-path-while-down=%s first-done-while-down=%s"
                    + " not-ready-while-down=[%s] rejoined=%s recovered=%s first-done-after-back=%s waited-for=[%s]"
                    + " stop-took=%dms",
                    what, node, how, downMillis,
                    taskPathExpected ? millis(whileDownMillis) : "not-expected(services' node, no addresses)",
                    taskPathExpected ? millis(e2eWhileDownMillis) : "n/a", notReadyWhileDown, millis(rejoinedMillis), millis(recoveredMillis),
                    millis(e2eAfterBackMillis), waitedFor, stopCommandMillis);
        }

        /**
         * The time the disruption cost the task path: from the stop until a task accepted after it was done, when
         * the path was to go on; else from the node's return until every service was ready and a task done.
         */
        long recovery() {
            return taskPathExpected ? e2eWhileDownMillis : recoveredMillis;
        }
    }

    @BeforeAll
    static void startTheClusterAndTheSystem() {
        Optional<String> unavailable = LocalCluster.whyUnavailable();
        assumeTrue(unavailable.isEmpty(), () -> "cluster tests skipped: " + unavailable.orElse(""));
        cluster = LocalCluster.start(3);
        system = SystemUnderTest.on(cluster, ClusterFailoverIT.class);
        spreadLeaders();
        events = TaskEvents.listen(system);
        Map<String, String> addresses = Map.of("RABBITMQ_ADDRESSES", cluster.addresses());
        producer = system.launch(Service.PRODUCER, "producer", addresses);
        workerA = system.launch(Service.WORKER, "worker-a", addresses);
        workerB = system.launch(Service.WORKER, "worker-b", addresses);
        rpc = system.launch(Service.RPC, "rpc", addresses);
        ServiceProcess subscriber = system.launch(Service.LOG_SUBSCRIBER, "log-subscriber", addresses);
        services = List.of(producer, workerA, workerB, rpc, subscriber);
        SystemUnderTest.awaitReady(producer, workerA, workerB, rpc, subscriber);
        failover = failoverCapable();
        await("both workers consume task_queue").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> consumersOnTaskQueue() >= 2);
        consumers = consumersOnTaskQueue();
        Tally.note("[cluster] setup nodes=" + cluster.nodes().size() + " take-addresses=" + failover
                + " task_queue-consumers=" + consumers + " leaders=" + leaders() + " connections=" + placement());
    }

    @AfterAll
    static void stopEverything() {
        try {
            if (events != null) {
                events.close();
            }
            if (system != null) {
                system.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /** (1) The node hosting each replicated queue's leader is stopped in turn (stop_app), then started again. */
    @Test
    @Order(1)
    void stoppingTheNodeOfEachQueueLeaderLosesNoTask() {
        try (TaskLoad load = startLoad("leader")) {
            List<Step> steps = new ArrayList<>();
            Set<Integer> stopped = new HashSet<>();
            List<String> notStopped = new ArrayList<>();
            for (String queue : replicatedQueues()) {
                awaitHealthy();
                LocalCluster.Node leader = cluster.leaderOf(system.vhost(), queue).orElseThrow(
                        () -> new AssertionError("no leader for " + queue));
                if (stopped.contains(leader.index())) {
                    continue; // its node was stopped already (the leader may have moved there)
                }
                if (!taskPathSurvives(leader.index())) {
                    notStopped.add(queue + "@" + leader.label() + "(the services' node, no addresses)");
                    continue;
                }
                steps.add(outage("leader-of-" + queue, load, leader.index(), false, DOWN_FOR));
                stopped.add(leader.index());
            }
            assertFalse(steps.isEmpty(), "no queue leader could be stopped: " + notStopped);
            finish("cluster-leader-stop", load, steps, "not-stopped=" + notStopped);
        }
    }

    /** (2) A rolling restart, as a StatefulSet rollout: n3, n2, n1, each only once the cluster is healthy again. */
    @Test
    @Order(2)
    void aRollingRestartOfAllThreeNodesLosesNoTask() {
        try (TaskLoad load = startLoad("rolling")) {
            List<Step> steps = new ArrayList<>();
            for (int node = cluster.nodes().size(); node >= 1; node--) {
                steps.add(outage("rolling-restart", load, node, false, Duration.ZERO));
            }
            finish("cluster-rolling-restart", load, steps, "");
        }
    }

    /** (3) A node crashes (SIGKILL of its VM) and comes back after a while; the load goes on meanwhile. */
    @Test
    @Order(3)
    void aNodeThatComesBackAfterAWhileCatchesUpAndLosesNoTask() {
        try (TaskLoad load = startLoad("away")) {
            awaitHealthy();
            // The node of task_queue's leader when its loss does not stop the task path; else the last other one.
            int leader = cluster.leaderOf(system.vhost(), TASK_QUEUE).orElseThrow().index();
            int node = leader;
            if (!taskPathSurvives(node)) {
                node = cluster.nodes().size();
            }
            Step step = outage("crash-and-back" + (node == leader ? "(task_queue leader)" : ""), load, node, true,
                    AWAY_FOR);
            finish("cluster-node-away", load, List.of(step), "");
        }
    }

    // ---- one node down and back ---------------------------------------------------------------------------------

    private static Step outage(String what, TaskLoad load, int node, boolean crash, Duration downFor) {
        awaitHealthy();
        // As a rollout's preStop hook: never take a node whose loss leaves a quorum queue without a majority.
        await("n" + node + " not quorum critical").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !cluster.isQuorumCritical(node));
        boolean taskPathExpected = taskPathSurvives(node);
        String how = crash ? "kill-9+start" : "stop_app+start_app";
        long stoppingAt = System.nanoTime();
        long stoppedAt = stoppingAt;
        lastBlocker = "";
        long whileDown = -1;
        String notReady = "";
        String waitedWhileDown = "";
        long downMillis;
        try {
            if (crash) {
                crashedNodeAway = true;
                cluster.killVm(node);
            } else {
                cluster.stopApp(node);
            }
            // Down from here on (stop_app returns once the application has stopped): what is timed starts now.
            stoppedAt = System.nanoTime();
            long downUntil = stoppedAt + downFor.toNanos();
            while (true) {
                if (whileDown < 0 && taskPathExpected && taskPathWorks(load, stoppedAt)) {
                    whileDown = millisSince(stoppedAt);
                }
                boolean longEnough = System.nanoTime() >= downUntil;
                boolean settled = !taskPathExpected || whileDown >= 0 || millisSince(stoppedAt) > RECOVER_WITHIN.toMillis();
                if (longEnough && settled) {
                    break;
                }
                sleep(200);
            }
            notReady = String.join(",", notReady());
            waitedWhileDown = lastBlocker;
        } finally {
            downMillis = millisSince(stoppedAt);
            if (crash) {
                cluster.startVm(node);
                crashedNodeAway = false;
            } else {
                cluster.startApp(node);
            }
        }
        long backAt = System.nanoTime();
        lastBlocker = "";
        long rejoined = -1;
        long recovered = -1;
        while (millisSince(backAt) <= RECOVER_WITHIN.toMillis() && (rejoined < 0 || recovered < 0)) {
            if (rejoined < 0 && rejoined(node)) {
                rejoined = millisSince(backAt);
            }
            if (recovered < 0 && notReady().isEmpty() && taskPathWorks(load, backAt)) {
                recovered = millisSince(backAt);
            }
            sleep(200);
        }
        Step step = new Step(what, "n" + node, how, taskPathExpected, downMillis, whileDown,
                firstDoneBetween(load, stoppedAt, backAt), notReady, rejoined, recovered,
                firstDoneBetween(load, backAt, Long.MAX_VALUE), "down:" + waitedWhileDown + " back:" + lastBlocker,
                millisSince(stoppingAt) - millisSince(stoppedAt));
        System.out.println(step.line());
        return step;
    }

    /**
     * The task path works: producer and both workers ready, task_queue has its consumers again, and a task accepted
     * after {@code sinceNanos} was completed.
     */
    private static boolean taskPathWorks(TaskLoad load, long sinceNanos) {
        String blocker;
        try {
            blocker = taskPathBlocker(load, sinceNanos);
        } catch (RuntimeException notYet) {
            blocker = "check failed: " + notYet; // e.g. no node answering for a moment
        }
        lastBlocker = blocker == null ? lastBlocker : blocker;
        return blocker == null;
    }

    /**
     * The services not ready now. Every one must be ready again by itself once the node is back: rpc-service, whose
     * classic rpc_queue may have been on the stopped node, declares it again and consumes again.
     */
    private static List<String> notReady() {
        List<String> names = new ArrayList<>();
        for (ServiceProcess service : services) {
            if (Http.get(service.url("/q/health/ready")).status() != 200) {
                names.add(service.name());
            }
        }
        return names;
    }

    /** What the last check of the task path found missing (for the reports). */
    private static String lastBlocker = "";

    /** Null when the task path works, else what is missing. */
    private static String taskPathBlocker(TaskLoad load, long sinceNanos) {
        List<String> notReady = Stream.of(producer, workerA, workerB).filter(s -> !s.isReady())
                .map(ServiceProcess::name).toList();
        if (!notReady.isEmpty()) {
            return "not-ready:" + String.join("+", notReady);
        }
        Set<String> acceptedSince = load.sent().stream()
                .filter(s -> s.accepted() && s.answeredAtNanos() - s.latencyNanos() >= sinceNanos)
                .map(TaskLoad.Sent::id).collect(Collectors.toSet());
        if (acceptedSince.isEmpty()) {
            return "none-accepted";
        }
        boolean done = events.completions(List.of(workerA, workerB)).stream()
                .anyMatch(c -> acceptedSince.contains(c.taskId()));
        if (!done) {
            return "none-done";
        }
        int now = consumersOnTaskQueue();
        // While a crashed node is away, the quorum queue still lists the consumer of a connection that was on it
        // (suspected down, not removed: it may be a partition) until the node is back: one more than the workers'.
        boolean enough = crashedNodeAway ? now >= consumers : now == consumers;
        return enough ? null : "consumers=" + now;
    }

    /** True from a node's SIGKILL until it is started again. */
    private static volatile boolean crashedNodeAway;

    /**
     * From {@code fromNanos} to the first completion event (as timed on arrival) of a task sent after
     * {@code fromNanos} and done before {@code toNanos}; -1 when none.
     */
    private static long firstDoneBetween(TaskLoad load, long fromNanos, long toNanos) {
        Set<String> sentAfter = load.sent().stream()
                .filter(s -> s.accepted() && s.answeredAtNanos() - s.latencyNanos() >= fromNanos)
                .map(TaskLoad.Sent::id).collect(Collectors.toSet());
        return events.events().stream()
                .filter(e -> e.isCompleted() && sentAfter.contains(e.taskId()) && e.seenAtNanos() >= fromNanos
                        && e.seenAtNanos() < toNanos)
                .mapToLong(e -> (e.seenAtNanos() - fromNanos) / 1_000_000).min().orElse(-1);
    }

    /** The node runs in the cluster again and is an online member of every replicated queue. */
    private static boolean rejoined(int node) {
        try {
            String name = cluster.node(node).name();
            if (cluster.runningNodes().stream().noneMatch(n -> n.index() == node)) {
                return false;
            }
            for (JsonNode queue : replicatedQueueInfos()) {
                JsonNode online = queue.path("online");
                if (online.isArray() && queue.path("members").isArray()) {
                    boolean in = false;
                    for (JsonNode member : online) {
                        in |= name.equals(member.asText());
                    }
                    if (!in) {
                        return false;
                    }
                }
            }
            return true;
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    /** Every node running, every member of every replicated queue online. */
    private static void awaitHealthy() {
        await("cluster healthy").atMost(HEALTHY_WITHIN).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> cluster.nodes().stream().allMatch(n -> rejoined(n.index())));
    }

    // ---- the end of a scenario ----------------------------------------------------------------------------------

    private static void finish(String fault, TaskLoad load, List<Step> steps, String extra) {
        load.stop(Duration.ofSeconds(30));
        long worst = steps.stream().mapToLong(Step::recovery).max().orElse(-1);
        boolean anyMissing = steps.stream().anyMatch(s -> s.recovery() < 0);
        Tally tally = Tally.awaitAndCount(fault, load.acceptedIds(), events, () -> List.of(workerA, workerB),
                COMPLETION_TIMEOUT, () -> anyMissing ? -1 : worst,
                () -> "refused=" + load.refused().size() + " steps=" + steps.size() + " consumers=" + consumers
                        + " take-addresses=" + failover + (extra.isEmpty() ? "" : " " + extra)).report();
        steps.forEach(step -> Tally.note(step.line()));
        Tally.note("[cluster] " + fault + " leaders-after=" + leaders() + " connections-after=" + placement());

        assertTrue(tally.accepted() > 0, "tasks were accepted");
        assertEquals(0, tally.lost(), tally::line);
        assertTrue(load.refused().stream().allMatch(s -> s.status() == 503),
                "refused only with 503: " + load.refused().stream().map(TaskLoad.Sent::status).distinct().toList());
        for (Step step : steps) {
            if (step.taskPathExpected()) {
                assertTrue(step.whileDownMillis() >= 0 && step.whileDownMillis() <= RECOVER_WITHIN.toMillis(),
                        "the task path works while " + step.node() + " is down, within " + RECOVER_WITHIN + ": "
                                + step.line());
                assertTrue(step.e2eWhileDownMillis() >= 0, "a task accepted while " + step.node() + " was down was done"
                        + " while it was down: " + step.line());
            }
            assertTrue(step.rejoinedMillis() >= 0, step.node() + " rejoined within " + RECOVER_WITHIN + ": "
                    + step.line());
            assertTrue(step.recoveredMillis() >= 0, "every service ready, both workers consuming and a task done "
                    + "within " + RECOVER_WITHIN + " of " + step.node() + " being back: " + step.line());
        }
        assertTrue(services.stream().allMatch(ServiceProcess::isAlive), "no service restarted");
    }

    // ---- the system and the cluster -----------------------------------------------------------------------------

    private static TaskLoad startLoad(String prefix) {
        TaskLoad load = TaskLoad.start(producer, Integer.MAX_VALUE / 20, RATE, n -> prefix + "-" + n + " .");
        await("load under way").atMost(Duration.ofSeconds(30)).until(() -> load.acceptedCount() >= RATE);
        return load;
    }

    /**
     * task_queue is declared through node 2 and the task events stream through node 3 (a replicated queue's leader
     * is the node it was declared on), with the contract's own arguments, before any service: their leaders are not
     * on node 1, where the services connect, so that a leader's node can go without taking the services' node.
     */
    private static void spreadLeaders() {
        declare(2, channel -> channel.queueDeclare(TASK_QUEUE, true, false, false,
                MessagingContract.taskQueueArguments(TopologyNames.DEFAULTS)));
        declare(3, channel -> MessagingContract.declareTaskEventsStream(channel, TopologyNames.DEFAULTS));
    }

    private interface Declaration {
        void on(Channel channel) throws IOException;
    }

    private static void declare(int node, Declaration declaration) {
        try (Connection connection = Amqp.connect(cluster.node(node).endpoint(), system.vhost(),
                "system-tests-declare-n" + node); Channel channel = connection.createChannel()) {
            declaration.on(channel);
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("declaring through n" + node, e);
        }
    }

    /**
     * The services that take RABBITMQ_ADDRESSES (their packages mention it), or as SYSTEM_TESTS_CLUSTER_FAILOVER
     * says (true: all, false: none).
     */
    private static Set<Service> failoverCapable() {
        String forced = Optional.ofNullable(System.getenv("SYSTEM_TESTS_CLUSTER_FAILOVER")).orElse("")
                .toLowerCase(Locale.ROOT);
        if (forced.equals("true")) {
            return EnumSet.allOf(Service.class);
        }
        if (forced.equals("false")) {
            return EnumSet.noneOf(Service.class);
        }
        Set<Service> capable = EnumSet.noneOf(Service.class);
        for (Service service : Service.values()) {
            if (service.mentions("rabbitmq-addresses", "RABBITMQ_ADDRESSES")) {
                capable.add(service);
            }
        }
        return capable;
    }

    /** The task path (producer and worker) goes on while {@code node} is down. */
    private static boolean taskPathSurvives(int node) {
        return node != SERVICES_NODE || (failover.contains(Service.PRODUCER) && failover.contains(Service.WORKER));
    }

    private static List<JsonNode> replicatedQueueInfos() {
        List<JsonNode> queues = new ArrayList<>();
        JsonNode all = cluster.admin().get("/queues/" + encode(system.vhost()));
        if (all != null) {
            for (JsonNode queue : all) {
                String type = queue.path("type").asText("");
                if (type.equals("quorum") || type.equals("stream")) {
                    queues.add(queue);
                }
            }
        }
        return queues;
    }

    /** The system's replicated queues (quorum queues, streams), task_queue first; the test's own queue left out. */
    private static List<String> replicatedQueues() {
        return replicatedQueueInfos().stream().map(q -> q.path("name").asText())
                .filter(name -> !name.equals(TaskEvents.QUEUE))
                .sorted(Comparator.comparing((String name) -> !name.equals(TASK_QUEUE)).thenComparing(name -> name))
                .toList();
    }

    /** queue → node label of its leader, for the reports. */
    private static Map<String, String> leaders() {
        Map<String, String> leaders = new TreeMap<>();
        try {
            for (JsonNode queue : replicatedQueueInfos()) {
                String leader = queue.path("leader").asText(queue.path("node").asText(""));
                leaders.put(queue.path("name").asText(), cluster.byName(leader).map(LocalCluster.Node::label)
                        .orElse(leader));
            }
        } catch (RuntimeException e) {
            leaders.put("?", e.getMessage());
        }
        return leaders;
    }

    /** Client connection name → node label, for the reports. */
    private static Map<String, String> placement() {
        Map<String, String> placement = new TreeMap<>();
        try {
            JsonNode all = cluster.admin().get("/vhosts/" + encode(system.vhost()) + "/connections");
            if (all != null) {
                for (JsonNode connection : all) {
                    String name = connection.path("client_properties").path("connection_name").asText("?");
                    String node = connection.path("node").asText("");
                    placement.merge(name, cluster.byName(node).map(LocalCluster.Node::label).orElse(node),
                            (a, b) -> a + "+" + b);
                }
            }
        } catch (RuntimeException e) {
            placement.put("?", e.getMessage());
        }
        return placement;
    }

    /**
     * The consumers of task_queue, exactly (queue.declare passive, through the first node that accepts a connection;
     * the management API's figure lags behind after a node goes), or -1.
     */
    private static int consumersOnTaskQueue() {
        for (LocalCluster.Node node : cluster.nodes()) {
            try (Connection connection = Amqp.connect(node.endpoint(), system.vhost(), "system-tests-consumers");
                    Channel channel = connection.createChannel()) {
                return channel.queueDeclarePassive(TASK_QUEUE).getConsumerCount();
            } catch (IOException | TimeoutException | RuntimeException down) {
                // the next node
            }
        }
        return -1;
    }

    private static String encode(String segment) {
        return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static String millis(long value) {
        return value < 0 ? "none" : value + "ms";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
