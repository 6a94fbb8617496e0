package dev.rabbitworks.system.support;

import java.util.Locale;
import java.util.Optional;

/**
 * Picks the broker once per test JVM. {@code SYSTEM_TESTS_BROKER=container|local} forces a choice; otherwise a
 * container when an engine answers, else the broker from {@code RABBITMQ_*}.
 */
public final class Brokers {

    private static TestBroker shared;

    private Brokers() {
    }

    public static synchronized TestBroker shared() {
        if (shared == null) {
            String choice = Optional.ofNullable(System.getenv("SYSTEM_TESTS_BROKER")).orElse("")
                    .toLowerCase(Locale.ROOT);
            boolean container = switch (choice) {
                case "container" -> true;
                case "local" -> false;
                default -> ContainerBroker.engineAvailable();
            };
            shared = container ? new ContainerBroker() : new LocalBroker();
            System.out.println("[system-tests] broker: " + shared.description());
        }
        return shared;
    }
}
