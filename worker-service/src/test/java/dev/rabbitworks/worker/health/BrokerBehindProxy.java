package dev.rabbitworks.worker.health;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import dev.rabbitworks.testing.TcpProxy;

/**
 * Points the worker at a {@link TcpProxy} in front of the broker of RABBITMQ_HOST / RABBITMQ_PORT, up at start, so
 * that a test can take the broker away from this worker alone.
 */
public class BrokerBehindProxy implements QuarkusTestResourceLifecycleManager {

    private static TcpProxy proxy;

    static TcpProxy proxy() {
        return proxy;
    }

    @Override
    public Map<String, String> start() {
        String host = System.getenv().getOrDefault("RABBITMQ_HOST", "localhost");
        int port = Integer.parseInt(System.getenv().getOrDefault("RABBITMQ_PORT", "5672"));
        try {
            proxy = new TcpProxy(host, port);
            proxy.up();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("rabbitmq-host", "localhost", "rabbitmq-port", Integer.toString(proxy.port()));
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }
}
