package dev.rabbitworks.system.support;

import java.util.Optional;

/**
 * The broker the system runs on, and what the fault tests may do to it. One per test JVM ({@link Brokers#shared()}):
 * a Testcontainers container when a container engine answers, else the broker named by {@code RABBITMQ_*}.
 */
public interface TestBroker {

    /** Where it listens and the administrator's credentials (used for the services too). */
    Endpoint endpoint();

    /** Empty when {@link #stop()} and {@link #start()} work here; else why not (the restart tests are skipped). */
    Optional<String> whyItCannotBeRestarted();

    /** Stops the broker (all connections close; durable queues and persistent messages stay). */
    void stop();

    /** Starts it again and returns once it accepts AMQP connections, on the same ports. */
    void start();

    /**
     * Raises (true) or clears (false) the broker's memory alarm: while it is raised the broker blocks every
     * publishing connection (connection.blocked) and reads nothing more from them. Same conditions as a restart.
     */
    void memoryAlarm(boolean raised);

    String description();

    /** Every node's endpoint: one for a single broker; a cluster's nodes (clients may fail over between them). */
    default java.util.List<Endpoint> amqpNodes() {
        return java.util.List.of(endpoint());
    }

    /** Host, AMQP port, management API port, administrator's user and password. */
    record Endpoint(String host, int amqpPort, int managementPort, String username, String password) {
    }
}
