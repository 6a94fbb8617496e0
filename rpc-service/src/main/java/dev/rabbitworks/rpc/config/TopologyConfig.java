package dev.rabbitworks.rpc.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The broker names this service uses, under the keys shared by all services (docs/messaging-contract.md).
 * The connector reads the same keys through {@code ${topology.*}} in application.properties.
 */
@ConfigMapping(prefix = "topology")
public interface TopologyConfig {

    /** The queue the RPC requests arrive on (declared here: durable classic queue, no arguments). */
    @WithDefault("rpc_queue")
    String rpcQueue();
}
