package dev.rabbitworks.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

/** The broker's image and rabbitmq.conf against the RabbitMQ release it runs and the container it runs in. */
class BrokerNodesTest {

    private static final long MiB = 1024L * 1024;

    /**
     * Every key of rabbitmq.conf, checked against the schemas of RabbitMQ 4.3.5 (deps/&#42;/priv/schema): a key the
     * node does not know stops it from starting. Add a key here after checking it there.
     */
    static final Set<String> KNOWN_TO_4_3 = Set.of("cluster_name", "cluster_formation.peer_discovery_backend",
            "cluster_formation.node_cleanup.only_log_warning", "queue_leader_locator",
            "total_memory_available_override_value", "vm_memory_high_watermark.absolute",
            "quorum_queue.wal_max_size_bytes", "disk_free_limit.absolute", "listeners.tcp.default", "management.tcp.port",
            "prometheus.tcp.port", "log.console", "log.console.level", "log.file");

    /** Keys 4.3 accepts and ignores: they would say something the node does not do. */
    static final Map<String, String> IGNORED_BY_4_3 = Map.of(
            "cluster_partition_handling", "4.3 keeps its metadata in Khepri (Raft) only: no partition handling mode",
            "raft.wal_max_size_bytes", "4.3 sizes quorum queues' WAL with quorum_queue.wal_max_size_bytes only",
            "cluster_formation.k8s.", "peer discovery 4.1+ ignores these (it derives the seed from the node name)",
            "vm_memory_high_watermark.relative", "relative to what the runtime detects: absolute in containers");

    @Test
    void theImageIsAnExactRabbitMq4ReleaseInEveryContainer() {
        List<String> problems = new ArrayList<>();
        for (Container c : broker().allContainers()) {
            // A moving tag (4.3-management, 4-management, management) changes the broker under a running cluster
            // at the next pod restart; a digest may follow the exact tag.
            if (!c.getImage().matches("rabbitmq:4\\.\\d+\\.\\d+-management(@sha256:[0-9a-f]{64})?")) {
                problems.add(c.getName() + ": " + c.getImage());
            }
        }
        assertEquals(List.of(), problems, "rabbitmq:4.<minor>.<patch>-management");
        assertEquals(1, broker().allContainers().stream().map(Container::getImage).distinct().count(),
                "the init container runs the broker's own image");
    }

    @Test
    void rabbitmqConfHoldsOnlyKeysRabbitMq43Applies() {
        Set<String> unknown = new TreeSet<>();
        List<String> ignored = new ArrayList<>();
        for (String key : WiringTest.rabbitmqConf().keySet()) {
            IGNORED_BY_4_3.forEach((prefix, why) -> {
                if (key.equals(prefix) || prefix.endsWith(".") && key.startsWith(prefix)) {
                    ignored.add(key + ": " + why);
                }
            });
            if (!KNOWN_TO_4_3.contains(key)) {
                unknown.add(key);
            }
        }
        assertEquals(List.of(), ignored);
        assertEquals(Set.of(), unknown, "keys not checked against RabbitMQ 4.3's schema");
    }

    /**
     * docs/deploy.md, "Broker memory": the alarm (publishers blocked) leaves headroom under the container's limit,
     * and the quorum queues' write-ahead log, whose entries stay in memory until it rolls over, fits 4 times under
     * the alarm (RabbitMQ: give a node at least 3 to 4 times the WAL size).
     */
    @Test
    void theQuorumQueueWalAndTheMemoryAlarmFitTheContainer() {
        Container rabbit = broker().template().getSpec().getContainers().get(0);
        long limit = bytes(rabbit.getResources().getLimits().get("memory"));
        assertEquals(limit, bytes(rabbit.getResources().getRequests().get("memory")),
                "request = limit: a node is not the first to go when its host runs short");
        Map<String, String> conf = WiringTest.rabbitmqConf();

        assertEquals(limit, Long.parseLong(conf.get("total_memory_available_override_value")),
                "the broker is told the container's limit (the runtime may see the host's memory)");
        String alarm = conf.get("vm_memory_high_watermark.absolute");
        assertNotNull(alarm, "an absolute memory alarm, as RabbitMQ advises for containers");
        long watermark = Long.parseLong(alarm);
        assertTrue(watermark * 10 <= limit * 6, "alarm at " + watermark / MiB + " MiB: above 60 % of the "
                + limit / MiB + " MiB limit (RabbitMQ's default share) leaves too little for what its accounting"
                + " lags behind");

        String walSetting = conf.get("quorum_queue.wal_max_size_bytes");
        assertNotNull(walSetting, "unset, the WAL is 512 MiB: its memory alone reaches the alarm");
        long wal = Long.parseLong(walSetting);
        assertTrue(4 * wal <= watermark, "4 x WAL = " + 4 * wal / MiB + " MiB must fit under the alarm at "
                + watermark / MiB + " MiB");
        assertNull(conf.get("vm_memory_high_watermark.relative"), "one alarm setting");
    }

    private static Workloads.Workload broker() {
        StatefulSet broker = Manifests.get(StatefulSet.class, "rabbitmq");
        return new Workloads.Workload(broker, broker.getSpec().getTemplate());
    }

    private static long bytes(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity).longValueExact();
    }
}
