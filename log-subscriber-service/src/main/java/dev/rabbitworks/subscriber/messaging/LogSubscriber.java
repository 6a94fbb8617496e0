package dev.rabbitworks.subscriber.messaging;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;

import dev.rabbitworks.subscriber.config.SubscriberConfig;
import dev.rabbitworks.subscriber.logs.LogRecorder;

/** What happens to every delivery of the three subscriptions: it is recorded, or refused if it cannot be. */
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

    /** Whether the delivery was recorded (then it is acked; else rejected, not redelivered forever). */
    boolean record(Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        try {
            recorder.record(ReceivedLogs.from(envelope, properties, body, clock.instant(), maxBodyLength));
            return true;
        } catch (RuntimeException e) {
            LOG.error("could not record a received message; rejecting it", e);
            return false;
        }
    }
}
