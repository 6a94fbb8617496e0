package dev.rabbitworks.subscriber.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points the service at a local port where no broker listens (it was free a moment ago). */
public class UnreachableBroker implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try (ServerSocket probe = new ServerSocket(0)) {
            return Map.of("rabbitmq-host", "localhost", "rabbitmq-port", String.valueOf(probe.getLocalPort()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // nothing was started
    }
}
