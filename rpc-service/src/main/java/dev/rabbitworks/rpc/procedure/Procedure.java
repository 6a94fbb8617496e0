package dev.rabbitworks.rpc.procedure;

/**
 * One remote procedure. Implementations compute from the argument only: they never run commands
 * and never load classes or resources named by a message.
 */
public interface Procedure {

    /** The name a request gives in its {@code procedure} header. */
    String name();

    /**
     * Computes the reply for one request.
     *
     * @throws BadArgumentException when the argument is not acceptable (answered with status 400)
     */
    Reply call(RequestArgument argument) throws BadArgumentException;
}
