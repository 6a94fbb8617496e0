package dev.rabbitworks.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.deploy.BrokerOps.Need;
import dev.rabbitworks.deploy.BrokerOps.Op;
import dev.rabbitworks.deploy.PermissionTable.Access;
import dev.rabbitworks.deploy.PermissionTable.Permissions;

/**
 * The permission table against what the services do (BrokerOps, and the connector channels of each
 * application.properties), with the names deploy/ gives them. No broker: regexes only, as RabbitMQ applies them.
 */
class PermissionTableTest {

    static final List<String> SERVICES = Project.SERVICES;

    private final Map<String, Permissions> table = PermissionTable.fromDeploy();
    private final TopologyConfig topology = Topology.fromDeploy();

    @Test
    void theTableHasOneRowPerServiceAndOneForKeda() {
        assertEquals(Set.of("producer", "worker", "log-subscriber", "rpc", "keda"), table.keySet());
        for (String user : table.keySet()) {
            assertTrue(FirstTimeSecrets.keys("rabbitmq-user-" + user).containsAll(Set.of("username", "password")),
                    "Secret rabbitmq-user-" + user + " (deploy/create-secrets.sh)");
        }
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void theTableAllowsEverythingTheServiceDoes(String service) {
        Permissions permissions = table.get(BrokerOps.USERS.get(service));
        List<Op> ops = new ArrayList<>(BrokerOps.of(service, topology));
        if (service.equals("log-subscriber-service")) {
            ops.addAll(BrokerOps.logSubscriber(topology, true));
        }
        assertEquals(List.of(), refused(permissions, ops));
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void theTableAllowsWhatTheServicesConnectorChannelsDeclare(String service) {
        Permissions permissions = table.get(BrokerOps.USERS.get(service));
        List<Op> ops = ConnectorChannels.ops(new ServiceModule(service));
        assertEquals(List.of(), refused(permissions, ops));
    }

    @Test
    void theLogSubscriberCanNeitherPublishTasksNorTouchTheWorkQueue() {
        Permissions subscriber = table.get("log-subscriber");
        assertFalse(subscriber.allows(Access.WRITE, BrokerOps.DEFAULT_EXCHANGE), "publish to the default exchange");
        for (Access access : Access.values()) {
            assertFalse(subscriber.allows(access, topology.taskQueue()), access + " " + topology.taskQueue());
            assertFalse(subscriber.allows(access, topology.rpcQueue()), access + " " + topology.rpcQueue());
        }
    }

    @Test
    void onlyTheWorkerConsumesTasksAndOnlyTheRpcServiceConsumesRequests() {
        for (Permissions permissions : table.values()) {
            assertEquals(permissions.user().equals("worker"), permissions.allows(Access.READ, topology.taskQueue()),
                    permissions.user() + " reading " + topology.taskQueue());
            assertEquals(permissions.user().equals("rpc"), permissions.allows(Access.READ, topology.rpcQueue()),
                    permissions.user() + " reading " + topology.rpcQueue());
            assertFalse(permissions.allows(Access.READ, topology.deadLetterQueue()),
                    permissions.user() + " reading the dead letters (an operator's job)");
        }
    }

    @Test
    void theRpcServiceConfiguresOnlyItsQueueAndWritesOnlyReplies() {
        Permissions rpc = table.get("rpc");
        assertTrue(rpc.allows(Access.CONFIGURE, topology.rpcQueue()));
        for (String other : List.of(topology.taskQueue(), topology.deadLetterExchange(), topology.fanoutExchange(),
                topology.directExchange(), topology.topicExchange())) {
            for (Access access : Access.values()) {
                assertFalse(rpc.allows(access, other), access + " " + other);
            }
        }
    }

    @Test
    void kedaHasNoPermissionAtAll() {
        Permissions keda = table.get("keda");
        assertEquals(List.of("", "", ""), List.of(keda.configure(), keda.write(), keda.read()));
    }

    @Test
    void everyRegexIsAnchored() {
        for (Permissions permissions : table.values()) {
            for (Access access : Access.values()) {
                String regex = permissions.regex(access);
                assertTrue(regex.isEmpty() || regex.startsWith("^") && regex.endsWith("$"),
                        permissions.user() + " " + access + " '" + regex + "' matches anywhere in a name");
            }
        }
    }

    private static List<String> refused(Permissions permissions, List<Op> ops) {
        List<String> refused = new ArrayList<>();
        for (Op op : ops) {
            for (Need need : op.needs()) {
                if (!permissions.allows(need.access(), need.resource())) {
                    refused.add(op + ": " + need.access() + " " + need.resource());
                }
            }
        }
        return refused;
    }
}
