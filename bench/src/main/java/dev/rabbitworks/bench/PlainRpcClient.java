package dev.rabbitworks.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

/**
 * The baseline for POST /rpc: what a hand-written client does with the amqp-client alone (the tutorial's
 * RPCClient with direct reply-to), sending the same request as the producer-service (persistent, a fresh
 * correlation id, header procedure, expiration) to the same rpc-service replicas.
 */
final class PlainRpcClient implements AutoCloseable {

    private static final String REPLY_TO = "amq.rabbitmq.reply-to";

    private final Connection connection;
    private final Channel channel;
    private final String queue;
    private final Map<String, CompletableFuture<byte[]>> waiting = new ConcurrentHashMap<>();

    PlainRpcClient(Broker broker, String queue) throws IOException, TimeoutException {
        this.connection = broker.factory().newConnection("bench-plain-rpc-client");
        this.channel = connection.createChannel();
        this.queue = queue;
        channel.basicConsume(REPLY_TO, true, (tag, delivery) -> {
            CompletableFuture<byte[]> call = waiting.remove(delivery.getProperties().getCorrelationId());
            if (call != null) {
                call.complete(delivery.getBody());
            }
        }, tag -> {
        });
    }

    CompletableFuture<byte[]> call(String procedure, byte[] argument) throws IOException {
        String correlationId = UUID.randomUUID().toString();
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        waiting.put(correlationId, reply);
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().deliveryMode(2)
                .messageId(UUID.randomUUID().toString()).correlationId(correlationId).replyTo(REPLY_TO)
                .expiration("5000").contentType("text/plain").headers(Map.of("procedure", procedure)).build();
        synchronized (channel) {
            channel.basicPublish("", queue, properties, argument);
        }
        return reply;
    }

    /**
     * {@code concurrency} callers, each calling again as soon as its reply came, for warm-up + measure; the
     * replies received inside the window are counted and timed.
     */
    HttpLoad.Result load(String procedure, String argument, int concurrency, Duration warmup, Duration measure)
            throws InterruptedException {
        Histogram latencies = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long windowStart = System.nanoTime() + warmup.toNanos();
        long windowEnd = windowStart + measure.toNanos();
        byte[] body = argument.getBytes(StandardCharsets.UTF_8);
        Thread[] callers = new Thread[concurrency];
        for (int i = 0; i < concurrency; i++) {
            callers[i] = new Thread(() -> {
                while (System.nanoTime() < windowEnd) {
                    long sent = System.nanoTime();
                    boolean success;
                    try {
                        call(procedure, body).get(5, TimeUnit.SECONDS);
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
            }, "plain-rpc-" + i);
            callers[i].start();
        }
        for (Thread caller : callers) {
            caller.join();
        }
        return new HttpLoad.Result(ok.get(), failed.get(), measure.toNanos() / 1e9, latencies, Map.of());
    }

    @Override
    public void close() {
        try {
            connection.close(5_000);
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
    }
}
