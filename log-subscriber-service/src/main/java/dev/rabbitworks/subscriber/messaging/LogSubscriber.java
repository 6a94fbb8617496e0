package dev.rabbitworks.subscriber.messaging;

import java.time.Clock;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.rabbitworks.subscriber.config.SubscriberConfig;
import dev.rabbitworks.subscriber.logs.LogRecorder;

/**
 * Receives from the three exchanges, one method per channel. Turning a channel off
 * ({@code subscriber.fanout=false} sets {@code mp.messaging.incoming.fanout.enabled=false}) leaves its method
 * without upstream: SmallRye logs SRMSG00207 "fromFanout has no upstream" and the other two run as usual. (One
 * method with three {@code @Incoming} also kept working in a test, but SmallRye then reports the whole method
 * as missing upstreams.) Acks after recording; a message that cannot be recorded is rejected (dropped: these
 * queues have no dead-letter exchange) rather than redelivered forever.
 */
@ApplicationScoped
public class LogSubscriber {

    private static final Logger LOG = Logger.getLogger(LogSubscriber.class);

    private final LogRecorder recorder;
    private final int maxBodyLength;
    private final Clock clock;

    LogSubscriber(LogRecorder recorder, SubscriberConfig config) {
        this.recorder = recorder;
        this.maxBodyLength = config.maxBodyLength();
        this.clock = Clock.systemUTC();
    }

    @Incoming(LogChannels.FANOUT)
    public CompletionStage<Void> fromFanout(Message<?> message) {
        return record(message);
    }

    @Incoming(LogChannels.DIRECT)
    public CompletionStage<Void> fromDirect(Message<?> message) {
        return record(message);
    }

    @Incoming(LogChannels.TOPIC)
    public CompletionStage<Void> fromTopic(Message<?> message) {
        return record(message);
    }

    private CompletionStage<Void> record(Message<?> message) {
        try {
            recorder.record(ReceivedLogs.from(message, clock.instant(), maxBodyLength));
        } catch (RuntimeException e) {
            LOG.error("could not record a received message; rejecting it", e);
            return message.nack(e);
        }
        return message.ack();
    }
}
