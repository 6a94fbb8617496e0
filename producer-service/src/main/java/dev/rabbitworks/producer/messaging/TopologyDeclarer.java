package dev.rabbitworks.producer.messaging;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Channel;

import dev.rabbitworks.broker.MessagingContract;
import dev.rabbitworks.broker.TopologyConfig;

/**
 * Declares what the producer publishes to, with exactly the arguments of docs/messaging-contract.md
 * (a different argument makes the broker refuse with PRECONDITION_FAILED), on each publishing channel as it
 * opens. Idempotent. The rpc queue
 * is the rpc-service's: a request without it must come back unroutable, so it is not declared here.
 */
@ApplicationScoped
public class TopologyDeclarer {

    private static final Logger LOG = Logger.getLogger(TopologyDeclarer.class);

    private final TopologyConfig topology;

    public TopologyDeclarer(TopologyConfig topology) {
        this.topology = topology;
    }

    public void declare(Channel on) throws IOException {
        MessagingContract.declareWorkQueue(on, topology);
        MessagingContract.declarePubSubExchanges(on, topology);
        LOG.infof("declared %s (quorum, delivery limit %d, dead letters to %s -> %s) and exchanges %s, %s, %s",
                topology.taskQueue(), topology.taskDeliveryLimit(), topology.deadLetterExchange(),
                topology.deadLetterQueue(), topology.fanoutExchange(), topology.directExchange(),
                topology.topicExchange());
    }
}
