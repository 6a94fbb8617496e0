package dev.rabbitworks.worker.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;

import dev.rabbitworks.worker.config.WorkerIdentity;
import io.smallrye.reactive.messaging.ClientCustomizer;
import io.vertx.rabbitmq.RabbitMQOptions;

/**
 * Adjusts the options the connector built from its own settings (host, credentials, virtual host...), rather
 * than replacing them with a client-options bean: names every connection "worker-service &lt;instance&gt;
 * &lt;channel&gt;" so operators and tests find it in the management UI (the task queue's own connection,
 * {@link TaskQueueConsumer}, is named the same way).
 */
@ApplicationScoped
public class WorkerClientCustomizer implements ClientCustomizer<RabbitMQOptions> {

    static final String CONNECTION_NAME_PREFIX = "worker-service";

    private final WorkerIdentity identity;

    public WorkerClientCustomizer(WorkerIdentity identity) {
        this.identity = identity;
    }

    @Override
    public RabbitMQOptions customize(String channel, Config channelConfig, RabbitMQOptions options) {
        options.setConnectionName(CONNECTION_NAME_PREFIX + " " + identity.instanceName() + " " + channel);
        return options;
    }
}
