package dev.rabbitworks.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.rabbitworks.broker.MessagingContract;
import dev.rabbitworks.broker.TopologyConfig;
import dev.rabbitworks.deploy.PermissionTable.Access;
import dev.rabbitworks.testing.ContractDeclarations;

/**
 * What each service does on the broker (read from its code and configuration, docs/messaging-contract.md), as a
 * list of AMQP operations, and which permission RabbitMQ checks for each. One spec for two tests: the permission
 * table must allow every operation (PermissionTableTest), and every operation must work on a real broker as that
 * service's user (BrokerPermissionsTest).
 */
final class BrokerOps {

    /** The pseudo-queue of direct reply-to. */
    static final String REPLY_TO = "amq.rabbitmq.reply-to";
    /** The name RabbitMQ checks when someone publishes to the default exchange. */
    static final String DEFAULT_EXCHANGE = "amq.default";
    /** A queue the broker names (amq.gen-...), standing for the one just declared. */
    static final String SERVER_NAMED = "(server.auto)";
    /** What a server-named queue is called in permission checks. */
    static final String SERVER_NAMED_EXAMPLE = "amq.gen-Xq3P7g8uQk2b1ZQhQ8f2Lw";
    /** The queue prefix the log subscriber uses when given subscriber.subscription-name (docs/deploy.md). */
    static final String SUBSCRIPTION_NAME = "log-subscriber";

    /** A permission RabbitMQ checks: access to a queue or exchange name. */
    record Need(Access access, String resource) {
    }

    sealed interface Op {
        List<Need> needs();
    }

    record DeclareExchange(String name, String type, boolean durable, boolean autoDelete,
            Map<String, Object> arguments) implements Op {
        /** Durable, kept when unused, no arguments: how every exchange of the contract is declared today. */
        DeclareExchange(String name, String type) {
            this(name, type, true, false, Map.of());
        }

        public List<Need> needs() {
            return List.of(new Need(Access.CONFIGURE, name));
        }
    }

    /**
     * Declares a queue. {@code mayCreate}: the queue may not exist yet, and RabbitMQ checks more when it creates a
     * queue with a dead-letter exchange (read on the queue, write on the exchange) than when it finds it.
     */
    record DeclareQueue(String name, boolean durable, boolean exclusive, boolean autoDelete, Map<String, Object> arguments,
            boolean mayCreate) implements Op {
        public List<Need> needs() {
            String queue = name.equals(SERVER_NAMED) ? SERVER_NAMED_EXAMPLE : name;
            List<Need> needs = new ArrayList<>(List.of(new Need(Access.CONFIGURE, queue)));
            Object deadLetterExchange = arguments.get("x-dead-letter-exchange");
            if (mayCreate && deadLetterExchange != null) {
                needs.add(new Need(Access.READ, queue));
                // The default exchange ("") is checked as amq.default, as for a publish.
                String exchange = deadLetterExchange.toString();
                needs.add(new Need(Access.WRITE, exchange.isEmpty() ? DEFAULT_EXCHANGE : exchange));
            }
            return needs;
        }
    }

    record Bind(String queue, String exchange, String routingKey) implements Op {
        public List<Need> needs() {
            return List.of(new Need(Access.WRITE, queue.equals(SERVER_NAMED) ? SERVER_NAMED_EXAMPLE : queue),
                    new Need(Access.READ, exchange));
        }
    }

    record Publish(String exchange, String routingKey) implements Op {
        public List<Need> needs() {
            return List.of(new Need(Access.WRITE, exchange.isEmpty() ? DEFAULT_EXCHANGE : exchange));
        }
    }

    /** Reads a stream from its first offset (a stream consumer needs a prefetch and manual acks). */
    record ConsumeStream(String stream) implements Op {
        public List<Need> needs() {
            return List.of(new Need(Access.READ, stream));
        }
    }

    record Consume(String queue) implements Op {
        public List<Need> needs() {
            if (queue.equals(REPLY_TO)) {
                return List.of();
            }
            return List.of(new Need(Access.READ, queue.equals(SERVER_NAMED) ? SERVER_NAMED_EXAMPLE : queue));
        }
    }

    private BrokerOps() {
    }

    /** The table's user for each service module. */
    static final Map<String, String> USERS = Map.of("producer-service", "producer", "worker-service", "worker",
            "log-subscriber-service", "log-subscriber", "rpc-service", "rpc");

    static List<Op> of(String service, TopologyConfig t) {
        return switch (service) {
            case "producer-service" -> producer(t);
            case "worker-service" -> worker(t);
            case "log-subscriber-service" -> logSubscriber(t, false);
            case "rpc-service" -> rpc(t);
            default -> throw new IllegalArgumentException(service);
        };
    }

    /**
     * TopologyDeclarer (at connect, and again by the client's topology recovery), ConfirmedPublisher, RpcClient,
     * TaskEventsReader (declares the task events stream, binds it to the topic exchange, reads it from the start).
     * The declarations are MessagingContract's own. The work queue already exists when the producer runs (the
     * broker-users Job declares it before creating any user), so re-declaring it needs configure only.
     */
    static List<Op> producer(TopologyConfig t) {
        List<Op> ops = new ArrayList<>(contract(on -> {
            MessagingContract.declareWorkQueue(on, t);
            MessagingContract.declarePubSubExchanges(on, t);
        }, t.taskQueue()));
        ops.addAll(List.of(
                new Publish("", t.taskQueue()),
                new Publish(t.fanoutExchange(), ""),
                new Publish(t.directExchange(), "error"),
                new Publish(t.topicExchange(), "kern.critical"),
                new Consume(REPLY_TO),
                new Publish("", t.rpcQueue())));
        ops.addAll(contract(on -> MessagingContract.declareTaskEventsStream(on, t)));
        ops.addAll(List.of(
                new Publish(t.topicExchange(), "task.accepted"),
                new ConsumeStream(t.taskEventsStream())));
        return ops;
    }

    /**
     * TaskQueueConsumer (dead-letter exchange and queue, the work queue, consume), TaskEventPublisher (declare
     * the topic exchange, publish events), and FailedTaskPublisher (retry queues that dead-letter back to the work
     * queue, retries through the default exchange, dead letters through the dead-letter exchange). The
     * declarations are MessagingContract's own.
     */
    static List<Op> worker(TopologyConfig t) {
        List<Op> ops = new ArrayList<>(contract(on -> MessagingContract.declareWorkQueue(on, t)));
        ops.add(new Consume(t.taskQueue()));
        ops.addAll(contract(on -> MessagingContract.declareTopicExchange(on, t)));
        ops.add(new Publish(t.topicExchange(), "task.completed"));
        ops.addAll(contract(on -> MessagingContract.declareRetryQueues(on, t, 1)));
        ops.add(new Publish("", MessagingContract.retryQueue(t, 1)));
        ops.add(new Publish(t.deadLetterExchange(), t.deadLetterQueue()));
        return ops;
    }

    /**
     * What {@code declarer} (MessagingContract's methods) declares, as operations. Every queue may be created by it,
     * except {@code existing} ones.
     */
    static List<Op> contract(ContractDeclarations.Declarer declarer, String... existing) {
        List<String> found = List.of(existing);
        List<Op> ops = new ArrayList<>();
        for (ContractDeclarations.Declaration declaration : ContractDeclarations.of(declarer)) {
            if (declaration instanceof ContractDeclarations.Exchange e) {
                ops.add(new DeclareExchange(e.name(), e.type(), e.durable(), e.autoDelete(), e.arguments()));
            } else if (declaration instanceof ContractDeclarations.Queue q) {
                ops.add(new DeclareQueue(q.name(), q.durable(), q.exclusive(), q.autoDelete(), q.arguments(),
                        !found.contains(q.name())));
            } else if (declaration instanceof ContractDeclarations.Binding b) {
                ops.add(new Bind(b.queue(), b.exchange(), b.routingKey()));
            }
        }
        return ops;
    }

    /**
     * The three subscriptions (SubscriptionConsumer): each declares its exchange, its queue (server-named by default,
     * or {@value #SUBSCRIPTION_NAME}.&lt;channel&gt; with a subscription name), binds and consumes.
     */
    static List<Op> logSubscriber(TopologyConfig t, boolean named) {
        List<Op> ops = new ArrayList<>();
        String[][] channels = { { "fanout", t.fanoutExchange(), "fanout", "" },
                { "direct", t.directExchange(), "direct", "error" },
                { "topic", t.topicExchange(), "topic", "task.*" } };
        for (String[] channel : channels) {
            ops.add(new DeclareExchange(channel[1], channel[2]));
            String queue = named ? SUBSCRIPTION_NAME + "." + channel[0] : SERVER_NAMED;
            ops.add(named ? new DeclareQueue(queue, true, false, false, Map.of(), true)
                    : new DeclareQueue(SERVER_NAMED, false, true, true, Map.of(), true));
            ops.add(new Bind(queue, channel[1], channel[3]));
            ops.add(new Consume(queue));
        }
        return ops;
    }

    /** RpcServer: declares rpc_queue (MessagingContract's own declaration), consumes it, replies to direct reply-to. */
    static List<Op> rpc(TopologyConfig t) {
        List<Op> ops = new ArrayList<>(contract(on -> MessagingContract.declareRpcQueue(on, t)));
        ops.add(new Consume(t.rpcQueue()));
        ops.add(new Publish("", REPLY_TO + ".g1h2AA5yZXBseQ"));
        return ops;
    }
}
