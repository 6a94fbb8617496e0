package dev.rabbitworks.system.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;

/**
 * A RabbitMQ container (Testcontainers), for machines with a container engine (Docker, or Podman's
 * Docker-compatible socket: set {@code DOCKER_HOST}). The image is {@code SYSTEM_TESTS_RABBITMQ_IMAGE}, default
 * {@code rabbitmq:3.13-management}. Its ports are bound to fixed free host ports, so that a stop and start of the
 * container (a broker restart that the services, started with those ports, must survive) keeps them.
 */
final class ContainerBroker implements TestBroker {

    private static final int AMQP = 5672;
    private static final int MANAGEMENT = 15672;

    private final RabbitMQContainer container;
    private final Endpoint endpoint;

    ContainerBroker() {
        String image = Optional.ofNullable(System.getenv("SYSTEM_TESTS_RABBITMQ_IMAGE")).filter(s -> !s.isBlank())
                .orElse("rabbitmq:3.13-management");
        int amqpPort = freePort();
        int managementPort = freePort();
        container = new RabbitMQContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("rabbitmq"));
        container.setPortBindings(List.of(amqpPort + ":" + AMQP, managementPort + ":" + MANAGEMENT));
        container.start();
        endpoint = new Endpoint(container.getHost(), container.getMappedPort(AMQP), container.getMappedPort(MANAGEMENT),
                container.getAdminUsername(), container.getAdminPassword());
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "system-tests-broker-container-stop"));
    }

    /** Whether a container engine answers (a docker CLI without a daemon does not count). */
    static boolean engineAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public Optional<String> whyItCannotBeRestarted() {
        return Optional.empty();
    }

    @Override
    public void stop() {
        // Not container.stop(): that removes the container (and its data).
        docker().stopContainerCmd(container.getContainerId()).withTimeout(30).exec();
    }

    @Override
    public void start() {
        docker().startContainerCmd(container.getContainerId()).exec();
        int mapped = mappedPort(AMQP);
        if (mapped != endpoint.amqpPort()) {
            throw new IllegalStateException("the broker container came back on port " + mapped + ", not "
                    + endpoint.amqpPort());
        }
        Amqp.awaitConnectable(endpoint, java.time.Duration.ofSeconds(60));
    }

    @Override
    public void memoryAlarm(boolean raised) {
        try {
            var result = container.execInContainer("rabbitmqctl", "-q", "set_vm_memory_high_watermark",
                    raised ? "0" : "0.4");
            if (result.getExitCode() != 0) {
                throw new IllegalStateException("set_vm_memory_high_watermark failed: " + result.getStderr());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String description() {
        return "a RabbitMQ container (" + container.getDockerImageName() + ") on " + endpoint.host() + ":"
                + endpoint.amqpPort();
    }

    /** The host port bound to a container port, read again from the engine (it is what the services reach). */
    private int mappedPort(int containerPort) {
        Ports.Binding[] bindings = docker().inspectContainerCmd(container.getContainerId()).exec().getNetworkSettings()
                .getPorts().getBindings().get(ExposedPort.tcp(containerPort));
        return Integer.parseInt(bindings[0].getHostPortSpec());
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
