package dev.rabbitworks.producer.messaging;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;

import dev.rabbitworks.producer.config.TopologyConfig;

/**
 * Declares what the producer publishes to, with exactly the arguments of docs/messaging-contract.md
 * (a different argument makes the broker refuse with PRECONDITION_FAILED). Idempotent. The rpc queue
 * is the rpc-service's: a request without it must come back unroutable, so it is not declared here.
 */
@ApplicationScoped
public class TopologyDeclarer {

    private static final Logger LOG = Logger.getLogger(TopologyDeclarer.class);

    private final TopologyConfig topology;

    public TopologyDeclarer(TopologyConfig topology) {
        this.topology = topology;
    }

    public void declare(Channel channel) throws IOException {
        channel.exchangeDeclare(topology.deadLetterExchange(), BuiltinExchangeType.DIRECT, true, false, null);
        channel.queueDeclare(topology.deadLetterQueue(), true, false, false, null);
        channel.queueBind(topology.deadLetterQueue(), topology.deadLetterExchange(), topology.deadLetterQueue());
        channel.queueDeclare(topology.taskQueue(), true, false, false, taskQueueArguments(topology));
        channel.exchangeDeclare(topology.fanoutExchange(), BuiltinExchangeType.FANOUT, true, false, null);
        channel.exchangeDeclare(topology.directExchange(), BuiltinExchangeType.DIRECT, true, false, null);
        channel.exchangeDeclare(topology.topicExchange(), BuiltinExchangeType.TOPIC, true, false, null);
        LOG.infof("declared %s (quorum, delivery limit %d, dead letters to %s -> %s) and exchanges %s, %s, %s",
                topology.taskQueue(), topology.taskDeliveryLimit(), topology.deadLetterExchange(),
                topology.deadLetterQueue(), topology.fanoutExchange(), topology.directExchange(),
                topology.topicExchange());
    }

    /** The work queue's arguments; x-delivery-limit is a long, as every other declarer sends it. */
    public static Map<String, Object> taskQueueArguments(TopologyConfig topology) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("x-queue-type", "quorum");
        arguments.put("x-delivery-limit", Long.valueOf(topology.taskDeliveryLimit()));
        arguments.put("x-dead-letter-exchange", topology.deadLetterExchange());
        arguments.put("x-dead-letter-routing-key", topology.deadLetterQueue());
        return arguments;
    }
}
