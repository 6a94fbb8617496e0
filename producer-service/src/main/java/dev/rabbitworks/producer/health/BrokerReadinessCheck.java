package dev.rabbitworks.producer.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.rabbitworks.broker.BrokerConnection;
import dev.rabbitworks.producer.messaging.ConfirmedPublisher;
import dev.rabbitworks.producer.messaging.RpcClient;

/**
 * Ready while the broker connection and its channels are open: only then can a request be confirmed.
 * There is deliberately no liveness check on the broker: an outage must not get the pod restarted.
 */
@Readiness
@ApplicationScoped
public class BrokerReadinessCheck implements HealthCheck {

    private final BrokerConnection broker;
    private final ConfirmedPublisher publisher;
    private final RpcClient rpc;

    public BrokerReadinessCheck(BrokerConnection broker, ConfirmedPublisher publisher, RpcClient rpc) {
        this.broker = broker;
        this.publisher = publisher;
        this.rpc = rpc;
    }

    @Override
    public HealthCheckResponse call() {
        boolean connected = broker.isOpen();
        int publisherChannels = publisher.openChannels();
        boolean rpcChannel = rpc.isOpen();
        return HealthCheckResponse.named("rabbitmq")
                .status(connected && publisherChannels > 0 && rpcChannel)
                .withData("connection", broker.connectionName())
                .withData("connected", connected)
                .withData("publisherChannels", publisherChannels)
                .withData("rpcChannel", rpcChannel)
                .build();
    }
}
