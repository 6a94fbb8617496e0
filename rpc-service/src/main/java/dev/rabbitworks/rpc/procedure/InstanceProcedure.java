package dev.rabbitworks.rpc.procedure;

import java.util.function.LongSupplier;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code instance}: read-only diagnostic telling which replica answered and for how long it has run. */
public final class InstanceProcedure implements Procedure {

    public static final String NAME = "instance";

    private final String instanceName;
    private final LongSupplier uptimeMillis;

    public InstanceProcedure(String instanceName, LongSupplier uptimeMillis) {
        this.instanceName = instanceName;
        this.uptimeMillis = uptimeMillis;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Ignores the argument. */
    @Override
    public Reply call(RequestArgument argument) {
        return Reply.json(new InstanceInfo(instanceName, uptimeMillis.getAsLong()));
    }

    /** The reply body; serialized by Jackson. */
    @RegisterForReflection
    public record InstanceInfo(String instance, long uptimeMs) {
    }
}
