package dev.rabbitworks.deploy;

import java.util.Map;

import dev.rabbitworks.broker.TopologyConfig;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The broker names (docs/messaging-contract.md) as deploy/20-topology.yaml gives them to the services: broker-client's
 * own {@link TopologyConfig} mapping, read from the ConfigMap's data as a service reads it from its environment
 * (a key the ConfigMap leaves out takes the mapping's default, as in a service).
 */
final class Topology {

    static final String CONFIG_MAP = "rabbitworks-topology";

    private Topology() {
    }

    static TopologyConfig fromDeploy() {
        Map<String, String> data = Manifests.configMapData(CONFIG_MAP);
        return new SmallRyeConfigBuilder()
                .withMapping(TopologyConfig.class)
                .withSources(new EnvConfigSource(data, 300))
                .build()
                .getConfigMapping(TopologyConfig.class);
    }
}
