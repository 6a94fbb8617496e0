package dev.rabbitworks.producer.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;

/** Reading the broker's reason for closing a channel. */
final class ChannelErrors {

    private ChannelErrors() {
    }

    /** The broker closed the channel with 404 NOT_FOUND (e.g. a publish to an exchange that no longer exists). */
    static boolean isNotFound(ShutdownSignalException cause) {
        return cause.getReason() instanceof AMQP.Channel.Close close && close.getReplyCode() == AMQP.NOT_FOUND;
    }
}
