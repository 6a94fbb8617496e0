package dev.rabbitworks.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

/**
 * A closed loop of {@code concurrency} threads, each making its next blocking call as soon as the previous one
 * returned: the load for the AMQP clients (as {@link HttpLoad} is for HTTP). Only calls that end inside the
 * measuring window count.
 */
final class BlockingLoad {

    /** One blocking call; a throw counts as a failure. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    private BlockingLoad() {
    }

    static HttpLoad.Result run(Call call, int concurrency, Duration warmup, Duration measure, String name)
            throws InterruptedException {
        Histogram latencies = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long windowStart = System.nanoTime() + warmup.toNanos();
        long windowEnd = windowStart + measure.toNanos();
        Thread[] callers = new Thread[concurrency];
        for (int i = 0; i < concurrency; i++) {
            callers[i] = new Thread(() -> {
                while (System.nanoTime() < windowEnd) {
                    long sent = System.nanoTime();
                    boolean success;
                    try {
                        call.run();
                        success = true;
                    } catch (Exception e) {
                        success = false;
                    }
                    long done = System.nanoTime();
                    if (done >= windowStart && done < windowEnd) {
                        if (success) {
                            ok.incrementAndGet();
                            synchronized (latencies) {
                                latencies.recordValue(Math.min(latencies.getHighestTrackableValue(), (done - sent) / 1000));
                            }
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                }
            }, name + "-" + i);
            callers[i].start();
        }
        for (Thread caller : callers) {
            caller.join();
        }
        return new HttpLoad.Result(ok.get(), failed.get(), measure.toNanos() / 1e9, latencies, Map.of());
    }
}
