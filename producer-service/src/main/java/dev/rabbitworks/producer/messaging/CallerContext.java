package dev.rabbitworks.producer.messaging;

import java.util.concurrent.Executor;

import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Where the outcome of a broker call completes: back on the caller's Vert.x context (the HTTP request's event
 * loop, where its response is written) when there is one, else on the worker pool; never on the connection's
 * I/O thread, which must not run anything that could wait for the broker.
 */
final class CallerContext {

    private CallerContext() {
    }

    static Executor current() {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Infrastructure.getDefaultWorkerPool();
        }
        return task -> context.runOnContext(ignored -> task.run());
    }
}
