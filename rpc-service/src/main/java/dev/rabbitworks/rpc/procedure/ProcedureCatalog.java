package dev.rabbitworks.rpc.procedure;

import java.lang.management.ManagementFactory;
import java.util.List;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.rabbitworks.rpc.config.InstanceName;
import dev.rabbitworks.rpc.config.RpcConfig;

/** The procedures this service offers: to add one, write its class and list it here. */
@Dependent
public class ProcedureCatalog {

    @Produces
    @Singleton
    ProcedureDispatcher dispatcher(RpcConfig config, InstanceName instanceName) {
        return new ProcedureDispatcher(List.of(
                new FibonacciProcedure(config.fibMax()),
                new InstanceProcedure(instanceName.value(), ManagementFactory.getRuntimeMXBean()::getUptime)));
    }
}
