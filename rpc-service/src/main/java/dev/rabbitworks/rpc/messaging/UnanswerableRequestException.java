package dev.rabbitworks.rpc.messaging;

/** The reason given when a request is rejected because no reply to it may be published. */
public class UnanswerableRequestException extends RuntimeException {

    public UnanswerableRequestException(String problem) {
        super("request rejected, not answered: " + problem, null, false, false);
    }
}
