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

    /** How long a reply may wait to be sent (the reply connection reconnecting) before its request is given up. */
    @WithDefault("5s")
    Duration replyTimeout();

    /** Name reported by the instance procedure and in connection names; the host name when unset. */
    Optional<String> instanceName();
}
