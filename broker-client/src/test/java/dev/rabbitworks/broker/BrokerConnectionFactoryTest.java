package dev.rabbitworks.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;

import dev.rabbitworks.testing.ContainerBroker;

class BrokerConnectionFactoryTest {

    private static final ContainerBroker CONTAINER = new ContainerBroker();
    /** The test broker: RABBITMQ_* when given, else a container. */
    private static Map<String, String> broker;

    @BeforeAll
    static void broker() {
        broker = CONTAINER.start();
    }

    @AfterAll
    static void stopBroker() {
        CONTAINER.stop();
    }

    @Test
    void withoutAddressesTheHostAndPortAreTheBroker() {
        assertEquals(List.of(new Address("broker.example", 5673)), factory("broker.example", 5673, null).addresses());
    }

    @Test
    void addressesReplaceHostAndPortAndAreReadAsTheConnectorReadsThem() {
        BrokerConnectionFactory factory = factory("ignored", 1, "node-1:5672,node-2:5673,node-3");
        assertEquals(List.of(new Address("node-1", 5672), new Address("node-2", 5673), new Address("node-3")),
                factory.addresses());
    }

    @Test
    void anAddressWithoutHostIsRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> factory("localhost", 5672, "node-1:5672,:5673"));
    }

    /**
     * One address answers nothing (a node that is down), the other is the broker: every connection lands on the
     * broker, whichever address the client tries first (it shuffles them at each connect).
     */
    @Test
    void aConnectionFailsOverToTheNodeThatAnswers() throws Exception {
        String host = setting("rabbitmq-host", "RABBITMQ_HOST", "localhost");
        int port = Integer.parseInt(setting("rabbitmq-port", "RABBITMQ_PORT", "5672"));
        String down = "127.0.0.1:" + closedPort();
        BrokerConnectionFactory factory = factory("unused.invalid", 1, down + "," + host + ":" + port);
        for (int attempt = 0; attempt < 8; attempt++) {
            try (Connection connection = factory.recovering().newConnection(factory.addresses(), "fail-over-test")) {
                assertEquals(port, connection.getPort());
            }
        }
    }

    private static BrokerConnectionFactory factory(String host, int port, String addresses) {
        return new BrokerConnectionFactory(host, port, Optional.ofNullable(addresses),
                setting("rabbitmq-username", "RABBITMQ_USERNAME", "guest"),
                setting("rabbitmq-password", "RABBITMQ_PASSWORD", "guest"),
                setting("rabbitmq-virtual-host", "RABBITMQ_VIRTUAL_HOST", "/"), 2);
    }

    private static String setting(String key, String env, String fallback) {
        return Optional.ofNullable(broker.get(key)).or(() -> Optional.ofNullable(System.getenv(env)))
                .filter(value -> !value.isBlank()).orElse(fallback);
    }

    /** A port nothing listens on (bound, then closed). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
