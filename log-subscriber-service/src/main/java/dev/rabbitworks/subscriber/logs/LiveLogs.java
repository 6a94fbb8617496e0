package dev.rabbitworks.subscriber.logs;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.operators.multi.processors.SerializedProcessor;

/**
 * Live feed of received messages for any number of listeners (the SSE endpoint). The three channels publish
 * from different threads, hence the serialized processor. Each listener drops what it cannot take in time, so
 * a slow client never holds up consumption nor the other listeners.
 */
@ApplicationScoped
public class LiveLogs {

    private final SerializedProcessor<ReceivedLog, ReceivedLog> processor = BroadcastProcessor.<ReceivedLog>create()
            .serialized();
    private final AtomicInteger listeners = new AtomicInteger();

    public void publish(ReceivedLog log) {
        processor.onNext(log);
    }

    /** Messages received from now on; a listener that falls behind misses messages instead of slowing others. */
    public Multi<ReceivedLog> stream() {
        return Multi.createFrom().publisher(processor)
                .onOverflow().drop()
                .onSubscription().invoke(listeners::incrementAndGet)
                .onTermination().invoke(listeners::decrementAndGet);
    }

    /** How many listeners are attached right now. */
    public int listeners() {
        return listeners.get();
    }
}
