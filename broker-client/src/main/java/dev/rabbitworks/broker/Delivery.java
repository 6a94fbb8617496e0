package dev.rabbitworks.broker;

import java.io.IOException;
import java.util.function.IntSupplier;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Envelope;

/**
 * One message as a {@link QueueConsumer} received it, and the way to settle it on the channel life it came on: a
 * delivery tag means nothing on the channel after a recovery (the broker requeued the message when the old channel
 * closed), so such a delivery is left alone ({@link #canSettle()} is false).
 */
public final class Delivery {

    private final Channel channel;
    private final Envelope envelope;
    private final AMQP.BasicProperties properties;
    private final byte[] body;
    private final int life;
    private final IntSupplier currentLife;

    Delivery(Channel channel, Envelope envelope, AMQP.BasicProperties properties, byte[] body, int life,
            IntSupplier currentLife) {
        this.channel = channel;
        this.envelope = envelope;
        this.properties = properties;
        this.body = body;
        this.life = life;
        this.currentLife = currentLife;
    }

    public AMQP.BasicProperties properties() {
        return properties;
    }

    public byte[] body() {
        return body;
    }

    public boolean redelivered() {
        return envelope.isRedeliver();
    }

    /** The channel it came on, for replies published in the same order as the acks that follow them. */
    public Channel channel() {
        return channel;
    }

    /** False once the channel it came on is gone: its tag means nothing on the next one. */
    public boolean canSettle() {
        return currentLife.getAsInt() == life && channel.isOpen();
    }

    public void ack() throws IOException {
        channel.basicAck(envelope.getDeliveryTag(), false);
    }

    /** basic.nack: back to the queue ({@code requeue}), or to the queue's dead letters (dropped if it has none). */
    public void reject(boolean requeue) throws IOException {
        channel.basicNack(envelope.getDeliveryTag(), false, requeue);
    }
}
