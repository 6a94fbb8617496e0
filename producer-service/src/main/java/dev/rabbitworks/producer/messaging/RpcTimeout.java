package dev.rabbitworks.producer.messaging;

/** No reply within producer.rpc-timeout (HTTP 504). */
public final class RpcTimeout extends RuntimeException {

    public RpcTimeout(String message) {
        super(message, null, false, false);
    }
}
