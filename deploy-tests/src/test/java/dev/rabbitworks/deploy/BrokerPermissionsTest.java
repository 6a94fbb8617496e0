package dev.rabbitworks.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;

import dev.rabbitworks.broker.MessagingContract;
import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.deploy.BrokerOps.Bind;
import dev.rabbitworks.deploy.BrokerOps.Consume;
import dev.rabbitworks.deploy.BrokerOps.DeclareExchange;
import dev.rabbitworks.deploy.BrokerOps.DeclareQueue;
import dev.rabbitworks.deploy.BrokerOps.Op;
import dev.rabbitworks.deploy.BrokerOps.Publish;
import dev.rabbitworks.deploy.PermissionTable.Permissions;
import dev.rabbitworks.testing.BrokerSettings;
import dev.rabbitworks.testing.ContractDeclarations;

/**
 * The permission table on a real broker. The broker-users Job's script (from deploy/, as is) creates the users of
 * the table in a fresh virtual host; then each service's user does, with amqp-client, what that service does, and
 * is refused what it must not do. The virtual host and the users are deleted afterwards.
 */
class BrokerPermissionsTest {

    static final List<String> SERVICES = Project.SERVICES;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path workDir;

    private static BrokerSettings admin;
    private static BrokerAdmin api;
    private static String vhost;
    private static SyncUsersJob job;
    /** Per table user: username and password in this run. */
    private static final Map<String, String[]> credentials = new LinkedHashMap<>();
    private static final TopologyConfig topology = Topology.fromDeploy();

    @BeforeAll
    static void createTheUsersWithTheJobsScript() {
        admin = BrokerAdmin.settingsFromEnvironment();
        api = new BrokerAdmin(admin);
        String run = "perm-test-" + UUID.randomUUID().toString().substring(0, 8);
        vhost = run;
        for (String user : PermissionTable.fromDeploy().keySet()) {
            credentials.put(user, new String[] { run + "-" + user, "pw-" + UUID.randomUUID() });
        }
        job = new SyncUsersJob(workDir, admin, vhost, credentials);
        SyncUsersJob.Result result = job.run();
        assertEquals(0, result.exitCode(), result.output());
        // What the rpc-service declares when it starts: here so that refusals on it are about permissions only.
        api.put("/queues/" + BrokerAdmin.segment(vhost) + "/" + BrokerAdmin.segment(topology.rpcQueue()),
                "{\"durable\":true,\"auto_delete\":false,\"arguments\":{}}");
    }

    @AfterAll
    static void deleteTheVirtualHostAndTheUsers() {
        if (api == null) {
            return;
        }
        api.delete("/vhosts/" + BrokerAdmin.segment(vhost));
        for (String[] user : credentials.values()) {
            api.delete("/users/" + BrokerAdmin.segment(user[0]));
        }
    }

    @Test
    void theJobGivesEachUserExactlyTheTablesPermissionsAndNoTag() {
        for (Permissions row : PermissionTable.fromDeploy().values()) {
            String username = credentials.get(row.user())[0];
            JsonNode granted = api.get("/permissions/" + BrokerAdmin.segment(vhost) + "/" + BrokerAdmin.segment(username));
            assertNotNull(granted, username);
            assertEquals(List.of(row.configure(), row.write(), row.read()), List.of(granted.path("configure").asText(),
                    granted.path("write").asText(), granted.path("read").asText()), username);
            JsonNode user = api.get("/users/" + BrokerAdmin.segment(username));
            assertTrue(user.path("tags").isEmpty() || user.path("tags").asText().isEmpty(),
                    username + " must not reach the management UI: " + user.path("tags"));
        }
    }

    /**
     * The work queue, its dead-letter exchange and queue and their binding, each as broker-client's
     * MessagingContract declares it (type, flags, arguments): a service declaring them after the Job must meet no
     * difference (PRECONDITION_FAILED), so a contract change must be followed in deploy/22-broker-users.yaml.
     */
    @Test
    void theJobDeclaresTheWorkQueueAsTheContractSays() {
        List<ContractDeclarations.Declaration> contract = ContractDeclarations
                .of(on -> MessagingContract.declareWorkQueue(on, topology));
        String v = BrokerAdmin.segment(vhost);
        for (ContractDeclarations.Declaration declaration : contract) {
            if (declaration instanceof ContractDeclarations.Queue expected) {
                JsonNode queue = api.get("/queues/" + v + "/" + BrokerAdmin.segment(expected.name()));
                assertNotNull(queue, "the Job declares " + expected.name());
                assertEquals(expected.type(), queue.path("type").asText(), expected.name());
                assertEquals(List.of(expected.durable(), expected.exclusive(), expected.autoDelete()),
                        List.of(queue.path("durable").asBoolean(), queue.path("exclusive").asBoolean(),
                                queue.path("auto_delete").asBoolean()), expected.name() + ": durable, exclusive, auto-delete");
                assertEquals(asJson(expected.arguments()), queue.path("arguments"), expected.name());
            } else if (declaration instanceof ContractDeclarations.Exchange expected) {
                JsonNode exchange = api.get("/exchanges/" + v + "/" + BrokerAdmin.segment(expected.name()));
                assertNotNull(exchange, "the Job declares " + expected.name());
                assertEquals(expected.type(), exchange.path("type").asText(), expected.name());
                assertEquals(List.of(expected.durable(), expected.autoDelete()), List.of(
                        exchange.path("durable").asBoolean(), exchange.path("auto_delete").asBoolean()),
                        expected.name() + ": durable, auto-delete");
                assertEquals(asJson(expected.arguments()), exchange.path("arguments"), expected.name());
            } else if (declaration instanceof ContractDeclarations.Binding expected) {
                JsonNode bindings = api.get("/bindings/" + v + "/e/" + BrokerAdmin.segment(expected.exchange()) + "/q/"
                        + BrokerAdmin.segment(expected.queue()));
                assertNotNull(bindings, expected.toString());
                List<String> keys = new java.util.ArrayList<>();
                bindings.forEach(binding -> keys.add(binding.path("routing_key").asText()));
                assertEquals(List.of(expected.routingKey()), keys, expected.toString());
            }
        }
    }

    /** As the management API writes it (numbers by value: it does not say int or long). */
    private static JsonNode asJson(Map<String, Object> arguments) {
        try {
            return JSON.readTree(JSON.writeValueAsString(arguments));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void runningTheJobAgainChangesNothing() {
        SyncUsersJob.Result again = job.run();
        assertEquals(0, again.exitCode(), again.output());
        theJobGivesEachUserExactlyTheTablesPermissionsAndNoTag();
        theJobDeclaresTheWorkQueueAsTheContractSays();
    }

    /** Every declaration with the contract's arguments (a mismatch would be PRECONDITION_FAILED), binding, publish, consume. */
    @ParameterizedTest
    @FieldSource("SERVICES")
    void eachServiceUserCanDoWhatTheServiceDoes(String service) throws Exception {
        List<Op> ops = BrokerOps.of(service, topology);
        try (Connection connection = connect(BrokerOps.USERS.get(service))) {
            run(connection, ops);
            if (service.equals("log-subscriber-service")) {
                run(connection, BrokerOps.logSubscriber(topology, true));
            }
        }
    }

    @Test
    void aTaskGoesFromTheProducerToAWorker() throws Exception {
        String task = "perm-test task " + UUID.randomUUID() + " ...";
        try (Connection worker = connect("worker"); Connection producer = connect("producer")) {
            ConcurrentLinkedQueue<String> done = consume(worker, topology.taskQueue());
            publish(producer, "", topology.taskQueue(), task);
            await().atMost(WAIT).until(() -> done.contains(task));
        }
    }

    @Test
    void workerEventsReachTheLogSubscriber() throws Exception {
        String event = "{\"taskId\":\"" + UUID.randomUUID() + "\",\"outcome\":\"completed\"}";
        try (Connection subscriber = connect("log-subscriber"); Connection worker = connect("worker")) {
            Channel channel = subscriber.createChannel();
            channel.exchangeDeclare(topology.topicExchange(), "topic", true, false, null);
            String queue = channel.queueDeclare().getQueue();
            assertTrue(queue.startsWith("amq.gen-"), queue);
            channel.queueBind(queue, topology.topicExchange(), "task.*");
            ConcurrentLinkedQueue<String> heard = consume(channel, queue);
            publish(worker, topology.topicExchange(), "task.completed", event);
            await().atMost(WAIT).until(() -> heard.contains(event));
        }
    }

    @Test
    void anRpcCallRoundTripsThroughDirectReplyTo() throws Exception {
        try (Connection rpc = connect("rpc"); Connection producer = connect("producer")) {
            Channel server = rpc.createChannel();
            server.basicQos(10);
            server.basicConsume(topology.rpcQueue(), false, (tag, request) -> {
                AMQP.BasicProperties props = request.getProperties();
                if (props.getReplyTo() != null) {
                    server.basicPublish("", props.getReplyTo(), new AMQP.BasicProperties.Builder()
                            .correlationId(props.getCorrelationId()).contentType("text/plain")
                            .headers(Map.of("status", 200)).build(),
                            ("fib=" + new String(request.getBody(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                }
                server.basicAck(request.getEnvelope().getDeliveryTag(), false);
            }, tag -> {
            });

            Channel client = producer.createChannel();
            ConcurrentLinkedQueue<String> replies = new ConcurrentLinkedQueue<>();
            client.basicConsume(BrokerOps.REPLY_TO, true,
                    (tag, reply) -> replies.add(reply.getProperties().getCorrelationId() + " "
                            + new String(reply.getBody(), StandardCharsets.UTF_8)),
                    tag -> {
                    });
            String correlationId = UUID.randomUUID().toString();
            client.confirmSelect();
            client.basicPublish("", topology.rpcQueue(), true, new AMQP.BasicProperties.Builder()
                    .replyTo(BrokerOps.REPLY_TO).correlationId(correlationId).build(),
                    "30".getBytes(StandardCharsets.UTF_8));
            client.waitForConfirmsOrDie(WAIT.toMillis());
            await().atMost(WAIT).until(() -> replies.contains(correlationId + " fib=30"));
        }
    }

    @Test
    void theLogSubscriberCannotPublishToTheWorkQueue() throws Exception {
        try (Connection subscriber = connect("log-subscriber")) {
            assertRefused(() -> publish(subscriber, "", topology.taskQueue(), "not a task"), "exchange 'amq.default'");
        }
    }

    @Test
    void theProducerCannotConsumeTheWorkQueue() throws Exception {
        try (Connection producer = connect("producer")) {
            Channel channel = producer.createChannel();
            assertRefused(() -> channel.basicConsume(topology.taskQueue(), false, (t, d) -> {
            }, t -> {
            }), "queue '" + topology.taskQueue() + "'");
        }
    }

    @Test
    void theWorkerCannotConsumeRpcRequests() throws Exception {
        try (Connection worker = connect("worker")) {
            Channel channel = worker.createChannel();
            assertRefused(() -> channel.basicConsume(topology.rpcQueue(), false, (t, d) -> {
            }, t -> {
            }), "queue '" + topology.rpcQueue() + "'");
        }
    }

    /**
     * A limit of RabbitMQ's permissions, not a wish: publishing to the default exchange is one permission (write
     * on amq.default) whatever the routing key, and the rpc-service needs it for its direct reply-to replies. So it
     * can put a message on task_queue too. Pinned here so that docs/deploy.md's claim stays true.
     */
    @Test
    void theRpcServiceCanPublishToTheWorkQueueBecauseRepliesNeedTheDefaultExchange() throws Exception {
        String stray = "perm-test stray " + UUID.randomUUID();
        try (Connection rpc = connect("rpc"); Connection worker = connect("worker")) {
            ConcurrentLinkedQueue<String> seen = consume(worker, topology.taskQueue());
            publish(rpc, "", topology.taskQueue(), stray);
            await().atMost(WAIT).until(() -> seen.contains(stray));
        }
    }

    @Test
    void kedaReadsTheQueueLengthAndNothingElse() throws Exception {
        try (Connection keda = connect("keda")) {
            Channel channel = keda.createChannel();
            assertTrue(channel.queueDeclarePassive(topology.taskQueue()).getMessageCount() >= 0);
            assertRefused(() -> channel.basicGet(topology.taskQueue(), false), "queue '" + topology.taskQueue() + "'");
        }
    }

    // ---- helpers ----

    private static Connection connect(String user) throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(admin.host());
        factory.setPort(admin.port());
        factory.setVirtualHost(vhost);
        factory.setUsername(credentials.get(user)[0]);
        factory.setPassword(credentials.get(user)[1]);
        return factory.newConnection("deploy-tests " + user);
    }

    /** Runs the operations on one channel, as a service does; a refusal closes the channel and throws. */
    private static void run(Connection connection, List<Op> ops) throws Exception {
        Channel channel = connection.createChannel();
        channel.confirmSelect();
        String lastServerNamed = null;
        for (Op op : ops) {
            if (op instanceof DeclareExchange e) {
                channel.exchangeDeclare(e.name(), e.type(), e.durable(), e.autoDelete(), e.arguments());
            } else if (op instanceof DeclareQueue q && q.name().equals(BrokerOps.SERVER_NAMED)) {
                lastServerNamed = channel.queueDeclare().getQueue();
            } else if (op instanceof DeclareQueue q) {
                channel.queueDeclare(q.name(), q.durable(), q.exclusive(), q.autoDelete(), q.arguments());
            } else if (op instanceof Bind b) {
                channel.queueBind(resolve(b.queue(), lastServerNamed), b.exchange(), b.routingKey());
            } else if (op instanceof Publish p && !p.routingKey().startsWith(BrokerOps.REPLY_TO)) {
                // (a reply needs a caller: anRpcCallRoundTripsThroughDirectReplyTo)
                channel.basicPublish(p.exchange(), p.routingKey(), AMQP_PERSISTENT,
                        "perm-test".getBytes(StandardCharsets.UTF_8));
                channel.waitForConfirmsOrDie(WAIT.toMillis());
            } else if (op instanceof BrokerOps.ConsumeStream c) {
                Channel reader = connection.createChannel();
                reader.basicQos(10);
                reader.basicConsume(c.stream(), false, Map.of("x-stream-offset", "first"), (tag, delivery) -> {
                }, tag -> {
                });
                assertTrue(reader.isOpen(), "reading " + c.stream());
            } else if (op instanceof Consume c) {
                boolean autoAck = c.queue().equals(BrokerOps.REPLY_TO);
                channel.basicConsume(resolve(c.queue(), lastServerNamed), autoAck, (tag, delivery) -> {
                }, tag -> {
                });
            }
        }
        assertTrue(channel.isOpen(), "the channel is still open");
        channel.close();
    }

    private static final AMQP.BasicProperties AMQP_PERSISTENT = new AMQP.BasicProperties.Builder().deliveryMode(2).build();

    private static String resolve(String queue, String lastServerNamed) {
        return queue.equals(BrokerOps.SERVER_NAMED) ? lastServerNamed : queue;
    }

    private static void publish(Connection connection, String exchange, String routingKey, String body)
            throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(exchange, routingKey, AMQP_PERSISTENT, body.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(WAIT.toMillis());
        }
    }

    /** Consumes (prefetch 1, ack after reading, as the worker does) and collects the bodies. */
    private static ConcurrentLinkedQueue<String> consume(Connection connection, String queue) throws IOException {
        Channel channel = connection.createChannel();
        channel.basicQos(1);
        return consume(channel, queue);
    }

    private static ConcurrentLinkedQueue<String> consume(Channel channel, String queue) throws IOException {
        ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
        channel.basicConsume(queue, false, (tag, delivery) -> {
            bodies.add(new String(delivery.getBody(), StandardCharsets.UTF_8));
            channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
        }, tag -> {
        });
        return bodies;
    }

    /** The broker closes the channel with 403 ACCESS_REFUSED naming the resource. */
    private static void assertRefused(Executable action, String resource) {
        Throwable thrown = assertThrows(Exception.class, action);
        ShutdownSignalException shutdown = null;
        for (Throwable t = thrown; t != null && shutdown == null; t = t.getCause()) {
            if (t instanceof ShutdownSignalException s) {
                shutdown = s;
            }
        }
        assertNotNull(shutdown, "not closed by the broker: " + thrown);
        String reason = shutdown.getMessage();
        assertTrue(reason.contains("reply-code=403") && reason.contains("ACCESS_REFUSED") && reason.contains(resource),
                reason);
        assertFalse(shutdown.isHardError(), "a channel error, not a connection error");
    }
}
