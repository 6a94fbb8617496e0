package dev.rabbitworks.rpc.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The rpc-service's own settings (env {@code RPC_*}); checked at start by {@link RpcConfigValidator}. */
@ConfigMapping(prefix = "rpc")
public interface RpcConfig {

    /** Largest n the fib procedure accepts (0..fib-max); bounds the work one request can cause. */
    @WithDefault("10000")
    int fibMax();

    /** Unacknowledged requests one replica may hold (the consumer's basic.qos prefetch). */
    @WithDefault("10")
    int prefetch();

    /**
     * Connected to the broker and yet not consuming the request queue for longer than this (it tries again every
     * reconnect interval meanwhile): liveness DOWN, so Kubernetes restarts the service.
     */
    @WithDefault("60s")
    Duration consumerLostLimit();

    /** Name reported by the instance procedure and in connection names; the host name when unset. */
    Optional<String> instanceName();
}
