package dev.rabbitworks.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.rabbitworks.deploy.BrokerOps.Bind;
import dev.rabbitworks.deploy.BrokerOps.Consume;
import dev.rabbitworks.deploy.BrokerOps.DeclareExchange;
import dev.rabbitworks.deploy.BrokerOps.DeclareQueue;
import dev.rabbitworks.deploy.BrokerOps.Op;
import dev.rabbitworks.deploy.BrokerOps.Publish;

/**
 * What the SmallRye RabbitMQ connector (4.33) declares for the channels of an application.properties, following
 * its RabbitMQClientHelper and Incoming/OutgoingRabbitMQChannel: an exchange named after the channel unless
 * exchange.name says otherwise ({@code ""} is the default exchange, never declared), the queue and its bindings
 * for incoming channels, and the dead-letter exchange and queue with auto-bind-dlq. A queue.name set outside the
 * file is not seen here: BrokerOps covers it (and what the services declare with the plain client).
 */
final class ConnectorChannels {

    private static final Pattern CHANNEL = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.connector");
    private static final String CONNECTOR = "smallrye-rabbitmq";

    private ConnectorChannels() {
    }

    static List<Op> ops(ServiceModule module) {
        List<Op> ops = new ArrayList<>();
        for (String key : new TreeSet<>(module.properties().keySet())) {
            Matcher matcher = CHANNEL.matcher(key);
            if (!matcher.matches() || !CONNECTOR.equals(module.properties().get(key).strip())) {
                continue;
            }
            boolean incoming = matcher.group(1).equals("incoming");
            String channel = matcher.group(2);
            Attributes a = new Attributes(module, matcher.group(1), channel);
            if (a.get("enabled").map("false"::equals).orElse(false)) {
                continue;
            }
            String exchange = a.get("exchange.name").map(v -> v.equals("\"\"") ? "" : v).orElse(channel);
            if (a.bool("exchange.declare", true) && !exchange.isEmpty()) {
                ops.add(new DeclareExchange(exchange, a.get("exchange.type").orElse("topic")));
            }
            if (!incoming) {
                ops.add(new Publish(exchange, "any"));
                continue;
            }
            Optional<String> queueName = a.get("queue.name");
            if (queueName.isEmpty()) {
                continue; // set in code, not visible here
            }
            String queue = queueName.get().equals("(server.auto)") ? BrokerOps.SERVER_NAMED : queueName.get();
            boolean autoBindDlq = a.bool("auto-bind-dlq", false);
            String dlx = a.get("dead-letter-exchange").orElse("DLX");
            if (a.bool("queue.declare", true)) {
                Map<String, Object> arguments = autoBindDlq ? Map.of("x-dead-letter-exchange", dlx) : Map.of();
                ops.add(new DeclareQueue(queue, true, false, false, arguments, true));
                if (!exchange.isEmpty()) {
                    ops.add(new Bind(queue, exchange, "#"));
                }
            }
            ops.add(new Consume(queue));
            if (autoBindDlq) {
                if (a.bool("dlx.declare", false)) {
                    ops.add(new DeclareExchange(dlx, a.get("dead-letter-exchange-type").orElse("direct")));
                }
                String dlq = a.get("dead-letter-queue-name").orElse(queue + ".dlq");
                ops.add(new DeclareQueue(dlq, true, false, false, Map.of(), true));
                ops.add(new Bind(dlq, dlx, a.get("dead-letter-routing-key").orElse(queue)));
            }
        }
        return ops;
    }

    /** A channel attribute, falling back to the connector-level one, with ${...} resolved. */
    private record Attributes(ServiceModule module, String direction, String channel) {

        Optional<String> get(String attribute) {
            Optional<String> own = module.resolved("mp.messaging." + direction + "." + channel + "." + attribute);
            return own.isPresent() ? own.map(String::strip)
                    : module.resolved("mp.messaging.connector." + CONNECTOR + "." + attribute).map(String::strip);
        }

        boolean bool(String attribute, boolean fallback) {
            return get(attribute).map(Boolean::parseBoolean).orElse(fallback);
        }
    }
}
