package dev.rabbitworks.bench;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * A closed-loop HTTP load: {@code concurrency} clients on as many keep-alive connections, each sending its next
 * request as soon as the previous one is answered (so {@code concurrency} requests are in flight at all times),
 * on one Vert.x event loop. Only requests answered inside the measuring window (after the warm-up) count; their
 * latencies go into an HdrHistogram. Bounded: it stops by itself at the end of the window.
 */
final class HttpLoad {

    /** What a load run measured. */
    record Result(long ok, long failed, double seconds, Histogram latencyMicros, Map<Integer, Long> statuses) {
        double rate() {
            return ok / seconds;
        }

        double p50Millis() {
            return latencyMicros.getValueAtPercentile(50) / 1000.0;
        }

        double p99Millis() {
            return latencyMicros.getValueAtPercentile(99) / 1000.0;
        }
    }

    private final Vertx vertx;

    HttpLoad(Vertx vertx) {
        this.vertx = vertx;
    }

    Result run(int port, String path, String contentType, Supplier<byte[]> body, int concurrency, Duration warmup,
            Duration measure, int expectedStatus) throws InterruptedException {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(port).setKeepAlive(true).setTcpNoDelay(true).setPipelining(false)
                .setConnectTimeout(5_000).setIdleTimeout(0), new PoolOptions().setHttp1MaxSize(concurrency));
        Histogram latencies = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
        Map<Integer, Long> statuses = new TreeMap<>();
        long[] counts = new long[2];
        long start = System.nanoTime();
        long windowStart = start + warmup.toNanos();
        long windowEnd = windowStart + measure.toNanos();
        CountDownLatch finished = new CountDownLatch(concurrency);
        Context context = vertx.getOrCreateContext();
        context.runOnContext(ignored -> {
            for (int i = 0; i < concurrency; i++) {
                new Client(client, path, contentType, body, expectedStatus, latencies, statuses, counts, windowStart,
                        windowEnd, finished).next();
            }
        });
        if (!finished.await(warmup.plusSeconds(measure.toSeconds() + 30).toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("HTTP load on " + path + " did not end");
        }
        client.close().toCompletionStage().toCompletableFuture().join();
        return new Result(counts[0], counts[1], measure.toNanos() / 1e9, latencies, statuses);
    }

    /** One closed-loop client; everything runs on the load's event loop, so no locking. */
    private static final class Client {
        private final HttpClient client;
        private final RequestOptions options;
        private final Supplier<byte[]> body;
        private final int expectedStatus;
        private final Histogram latencies;
        private final Map<Integer, Long> statuses;
        private final long[] counts;
        private final long windowStart;
        private final long windowEnd;
        private final CountDownLatch finished;

        Client(HttpClient client, String path, String contentType, Supplier<byte[]> body, int expectedStatus,
                Histogram latencies, Map<Integer, Long> statuses, long[] counts, long windowStart, long windowEnd,
                CountDownLatch finished) {
            this.client = client;
            this.options = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
                    .putHeader("Content-Type", contentType);
            this.body = body;
            this.expectedStatus = expectedStatus;
            this.latencies = latencies;
            this.statuses = statuses;
            this.counts = counts;
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
            this.finished = finished;
        }

        void next() {
            long sent = System.nanoTime();
            if (sent >= windowEnd) {
                finished.countDown();
                return;
            }
            client.request(options)
                    .compose(request -> request.send(Buffer.buffer(body.get())))
                    .compose(response -> response.body().map(ignored -> response.statusCode()))
                    .onComplete(outcome -> {
                        long done = System.nanoTime();
                        int status = outcome.succeeded() ? outcome.result() : -1;
                        if (done >= windowStart && done < windowEnd) {
                            statuses.merge(status, 1L, Long::sum);
                            if (status == expectedStatus) {
                                counts[0]++;
                                latencies.recordValue(Math.min(latencies.getHighestTrackableValue(),
                                        (done - sent) / 1000));
                            } else {
                                counts[1]++;
                            }
                        }
                        next();
                    });
        }
    }
}
