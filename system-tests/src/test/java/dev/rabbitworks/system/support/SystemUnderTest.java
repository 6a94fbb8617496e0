package dev.rabbitworks.system.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.rabbitmq.client.Connection;

/**
 * What one test class runs on: the shared broker, a fresh virtual host of its own (deleted afterwards), and the
 * service processes it started (all stopped by {@link #close()}, which the class calls in {@code @AfterAll}).
 */
public final class SystemUnderTest implements AutoCloseable {

    /** A Quarkus service starts in a few seconds; on 2 busy cores, give it more. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final TestBroker broker;
    private final BrokerAdmin admin;
    private final String vhost;
    private final boolean ownVhost;
    private final String logPrefix;
    private final List<ServiceProcess> processes = new CopyOnWriteArrayList<>();

    private SystemUnderTest(TestBroker broker, String vhost, boolean ownVhost, String logPrefix) {
        this.broker = broker;
        this.admin = new BrokerAdmin(broker.endpoint());
        this.vhost = vhost;
        this.ownVhost = ownVhost;
        this.logPrefix = logPrefix;
    }

    /**
     * A fresh virtual host on the shared broker for {@code testClass}; when the user may not create one, the
     * virtual host of {@code RABBITMQ_VIRTUAL_HOST} (default /) is used as it is.
     */
    public static SystemUnderTest forClass(Class<?> testClass) {
        return on(Brokers.shared(), testClass);
    }

    /** The same on another broker than the shared one (e.g. a {@link LocalCluster}: node 1 is its endpoint). */
    public static SystemUnderTest on(TestBroker broker, Class<?> testClass) {
        BrokerAdmin admin = new BrokerAdmin(broker.endpoint());
        String vhost = "system-tests-" + testClass.getSimpleName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        if (admin.createVhost(vhost)) {
            return new SystemUnderTest(broker, vhost, true, testClass.getSimpleName());
        }
        String given = System.getenv().getOrDefault("RABBITMQ_VIRTUAL_HOST", "/");
        System.out.println("[system-tests] cannot create a virtual host; using " + given + " as it is");
        return new SystemUnderTest(broker, given, false, testClass.getSimpleName());
    }

    public TestBroker broker() {
        return broker;
    }

    public BrokerAdmin admin() {
        return admin;
    }

    public String vhost() {
        return vhost;
    }

    /** A plain AMQP connection to this class's virtual host (close it). */
    public Connection connect(String name) {
        return Amqp.connect(broker.endpoint(), vhost, name);
    }

    /** Launches a service with its test settings plus {@code env}; see {@link #awaitReady}. */
    public ServiceProcess launch(Service service, String name, Map<String, String> env) {
        Map<String, String> all = new HashMap<>();
        TestBroker.Endpoint endpoint = broker.endpoint();
        all.put("RABBITMQ_HOST", endpoint.host());
        all.put("RABBITMQ_PORT", Integer.toString(endpoint.amqpPort()));
        all.put("RABBITMQ_USERNAME", endpoint.username());
        all.put("RABBITMQ_PASSWORD", endpoint.password());
        all.put("RABBITMQ_VIRTUAL_HOST", vhost);
        all.putAll(env);
        ServiceProcess process = ServiceProcess.launch(service, name, logPrefix, all);
        processes.add(process);
        return process;
    }

    public ServiceProcess launch(Service service, String name) {
        return launch(service, name, Map.of());
    }

    /** Starts a service and waits until it is ready. */
    public ServiceProcess start(Service service, String name, Map<String, String> env) {
        return launch(service, name, env).awaitReady(START_TIMEOUT);
    }

    public ServiceProcess start(Service service, String name) {
        return start(service, name, Map.of());
    }

    /** Waits until each of them is ready (launch them first, so they start side by side). */
    public static void awaitReady(ServiceProcess... services) {
        for (ServiceProcess service : services) {
            service.awaitReady(START_TIMEOUT);
        }
    }

    public List<ServiceProcess> processes() {
        return new ArrayList<>(processes);
    }

    @Override
    public void close() {
        for (ServiceProcess process : processes) {
            process.stop();
        }
        if (ownVhost) {
            try {
                admin.deleteVhost(vhost);
            } catch (RuntimeException e) {
                System.out.println("[system-tests] could not delete virtual host " + vhost + ": " + e.getMessage());
            }
        }
    }
}
