package dev.rabbitworks.rpc.messaging;

import java.util.List;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.rabbitworks.rpc.config.RpcConfig;
import dev.rabbitworks.rpc.procedure.FibonacciProcedure;
import dev.rabbitworks.rpc.procedure.ProcedureDispatcher;

/** The service's dispatcher with the test's {@code hold} procedure beside fib; enabled by {@link ConcurrencyProfile}. */
@Alternative
@Dependent
public class HoldingProcedureCatalog {

    @Produces
    @Singleton
    ProcedureDispatcher dispatcher(RpcConfig config, HoldProcedure hold) {
        return new ProcedureDispatcher(List.of(new FibonacciProcedure(config.fibMax()), hold));
    }
}
