package dev.rabbitworks.rpc.health;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import dev.rabbitworks.testing.TcpProxy;

/**
 * Points the service at a {@link TcpProxy} in front of the broker of RABBITMQ_HOST / RABBITMQ_PORT.
 * The proxy starts down, so the service starts without a broker.
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
