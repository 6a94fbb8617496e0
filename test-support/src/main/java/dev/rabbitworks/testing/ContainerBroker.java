package dev.rabbitworks.testing;

import java.util.Map;
import java.util.Optional;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Dev Services for the modules that talk to the broker with the plain AMQP client only (producer, worker, log
 * subscriber):
 * Quarkus starts RabbitMQ Dev Services only for connector channels, so when no broker is given
 * ({@code RABBITMQ_HOST} unset) and a container engine answers, their tests get a broker container this way, as
 * the other modules do. A module uses it with a class of its test sources annotated
 * {@code @QuarkusTestResource(ContainerBroker.class)}.
 */
public class ContainerBroker implements QuarkusTestResourceLifecycleManager {

    private static final String DEFAULT_IMAGE = "rabbitmq:3.13-management";

    private RabbitMQContainer container;

    @Override
    public Map<String, String> start() {
        if (configured("RABBITMQ_HOST", "rabbitmq-host").isPresent()
                || !DockerClientFactory.instance().isDockerAvailable()) {
            return Map.of();
        }
        String image = configured("QUARKUS_RABBITMQ_DEVSERVICES_IMAGE_NAME", "quarkus.rabbitmq.devservices.image-name")
                .orElse(DEFAULT_IMAGE);
        container = new RabbitMQContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("rabbitmq"));
        container.start();
        return Map.of(
                "rabbitmq-host", container.getHost(),
                "rabbitmq-port", String.valueOf(container.getAmqpPort()),
                "rabbitmq-http-port", String.valueOf(container.getHttpPort()),
                "rabbitmq-username", container.getAdminUsername(),
                "rabbitmq-password", container.getAdminPassword());
    }

    @Override
    public void stop() {
        if (container != null) {
            container.stop();
        }
    }

    private static Optional<String> configured(String env, String property) {
        return Optional.ofNullable(System.getenv(env)).or(() -> Optional.ofNullable(System.getProperty(property)))
                .filter(value -> !value.isBlank());
    }
}
