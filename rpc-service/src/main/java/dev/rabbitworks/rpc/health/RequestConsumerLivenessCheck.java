package dev.rabbitworks.rpc.health;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.Liveness;

import dev.rabbitworks.broker.ConsumerLivenessCheck;
import dev.rabbitworks.rpc.config.RpcConfig;
import dev.rabbitworks.rpc.messaging.RpcServer;

/** DOWN once connected without consuming the request queue for longer than rpc.consumer-lost-limit. */
@Liveness
@Singleton
public class RequestConsumerLivenessCheck extends ConsumerLivenessCheck {

    public RequestConsumerLivenessCheck(RpcServer server, RpcConfig config) {
        super("request-queue-consumer-alive", server.consumer(), config.consumerLostLimit());
    }
}
