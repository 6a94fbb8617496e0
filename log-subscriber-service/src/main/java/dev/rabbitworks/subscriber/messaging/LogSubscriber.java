package dev.rabbitworks.subscriber.messaging;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.rabbitworks.subscriber.config.SubscriberConfig;
import dev.rabbitworks.subscriber.logs.LogRecorder;
import dev.rabbitworks.subscriber.logs.ReceivedLog;
import dev.rabbitworks.subscriber.logs.Truncation;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;

/**
 * The three subscriptions: every message of each exchange is recorded. The connector acks it once the method
 * returns, and rejects it (no requeue: a log, not work) if recording throws. The body comes as raw bytes whatever
 * its content type says (content-type-override in application.properties), so no body can fail the conversion.
 */
@ApplicationScoped
public class LogSubscriber {

    private final LogRecorder recorder;
    private final int maxBodyLength;
    private final Clock clock = Clock.systemUTC();

    LogSubscriber(LogRecorder recorder, SubscriberConfig config) {
        this.recorder = recorder;
        this.maxBodyLength = config.maxBodyLength();
    }

    @Incoming(LogChannels.FANOUT)
    public void fromFanout(byte[] body, IncomingRabbitMQMetadata delivery) {
        record(body, delivery);
    }

    @Incoming(LogChannels.DIRECT)
    public void fromDirect(byte[] body, IncomingRabbitMQMetadata delivery) {
        record(body, delivery);
    }

    @Incoming(LogChannels.TOPIC)
    public void fromTopic(byte[] body, IncomingRabbitMQMetadata delivery) {
        record(body, delivery);
    }

    private void record(byte[] body, IncomingRabbitMQMetadata delivery) {
        recorder.record(new ReceivedLog(delivery.getExchange(), delivery.getRoutingKey(),
                Truncation.cut(BodyText.of(body), maxBodyLength), clock.instant(),
                delivery.getMessageId().orElse(null)));
    }
}
