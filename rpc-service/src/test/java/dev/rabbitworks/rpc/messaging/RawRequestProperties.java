package dev.rabbitworks.rpc.messaging;

import java.io.DataOutputStream;
import java.io.IOException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.Frame;

/**
 * Request properties with a raw correlation_id and reply_to, written byte for byte: the Java client
 * only writes valid UTF-8, other clients (and attackers) send any bytes. Overrides the client's
 * rendering of the content header frame (class basic, weight, body size, property flags, values).
 */
final class RawRequestProperties extends AMQP.BasicProperties {

    private static final int CLASS_BASIC = 60;
    private static final int CORRELATION_ID_FLAG = 1 << 10;
    private static final int REPLY_TO_FLAG = 1 << 9;

    private final byte[] correlationId;
    private final byte[] replyTo;

    RawRequestProperties(byte[] correlationId, byte[] replyTo) {
        this.correlationId = correlationId;
        this.replyTo = replyTo;
    }

    @Override
    public Frame toFrame(int channelNumber, long bodySize) throws IOException {
        Frame frame = new Frame(AMQP.FRAME_HEADER, channelNumber);
        DataOutputStream out = frame.getOutputStream();
        out.writeShort(CLASS_BASIC);
        out.writeShort(0);
        out.writeLong(bodySize);
        out.writeShort(CORRELATION_ID_FLAG | REPLY_TO_FLAG);
        writeShortString(out, correlationId);
        writeShortString(out, replyTo);
        return frame;
    }

    private static void writeShortString(DataOutputStream out, byte[] value) throws IOException {
        out.writeByte(value.length);
        out.write(value);
    }
}
