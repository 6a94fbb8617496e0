package dev.rabbitworks.rpc.procedure;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

/**
 * Chooses the procedure named by a request and turns every outcome into a reply: the result,
 * 400 for a bad argument, 404 for an unknown name, 500 for a bug. The names come from a fixed map
 * built at start; a request's header is only ever a key into it.
 */
public final class ProcedureDispatcher {

    /** The procedure of a request without a {@code procedure} header (the tutorials' clients). */
    public static final String DEFAULT_PROCEDURE = FibonacciProcedure.NAME;
    /** The metrics name for every name that is not in the map (keeps the tag values bounded). */
    public static final String UNKNOWN = "unknown";

    private static final Logger LOG = Logger.getLogger(ProcedureDispatcher.class);
    private static final int MAX_ECHOED_NAME = 64;

    private final Map<String, Procedure> procedures;

    public ProcedureDispatcher(Collection<? extends Procedure> procedures) {
        this.procedures = procedures.stream().collect(Collectors.toUnmodifiableMap(Procedure::name,
                Function.identity(), (a, b) -> {
                    throw new IllegalArgumentException("two procedures are named " + a.name());
                }));
    }

    /** What a request asked for, and the reply to it. */
    public record Outcome(String procedure, Reply reply) {
    }

    public Outcome dispatch(Optional<String> procedureName, RequestArgument argument) {
        String name = procedureName.orElse(DEFAULT_PROCEDURE);
        Procedure procedure = procedures.get(name);
        if (procedure == null) {
            return new Outcome(UNKNOWN, Reply.error(Reply.UNKNOWN_PROCEDURE, "unknown procedure '" + shortened(name)
                    + "'; known: " + String.join(", ", procedures.keySet().stream().sorted().toList())));
        }
        try {
            return new Outcome(name, procedure.call(argument));
        } catch (BadArgumentException e) {
            return new Outcome(name, Reply.error(Reply.BAD_ARGUMENT, e.getMessage()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "procedure %s failed", name);
            return new Outcome(name, Reply.error(Reply.INTERNAL_ERROR, "internal error in procedure " + name));
        }
    }

    private static String shortened(String name) {
        return name.length() <= MAX_ECHOED_NAME ? name : name.substring(0, MAX_ECHOED_NAME) + "...";
    }
}
