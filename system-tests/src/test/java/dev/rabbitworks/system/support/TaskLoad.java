package dev.rabbitworks.system.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A numbered batch of tasks sent to {@code POST /tasks} at a steady rate, each answer recorded: which got a 202
 * (and its id), which were refused, how long each took. Runs in the background until {@code target} tasks were
 * accepted (refused ones do not count: a fault can refuse many), at most ten times that many requests.
 */
public final class TaskLoad implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    /** One request: its number, when it was answered (System.nanoTime), status (-1: no answer), id if accepted. */
    public record Sent(int number, long answeredAtNanos, long latencyNanos, int status, String id) {
        public boolean accepted() {
            return status == 202 && id != null;
        }
    }

    private static final int MAX_IN_FLIGHT = 8;

    private final ServiceProcess producer;
    private final int target;
    private final int maxRequests;
    private final IntFunction<String> body;
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService senders = Executors.newFixedThreadPool(MAX_IN_FLIGHT);
    private final AtomicInteger next = new AtomicInteger(1);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean stopped;

    private TaskLoad(ServiceProcess producer, int target, IntFunction<String> body) {
        this.producer = producer;
        this.target = target;
        this.maxRequests = target * 10;
        this.body = body;
    }

    /**
     * Starts sending tasks, {@code perSecond} a second, until {@code target} were accepted; task n's body is
     * {@code body.apply(n)}.
     */
    public static TaskLoad start(ServiceProcess producer, int target, int perSecond, IntFunction<String> body) {
        TaskLoad load = new TaskLoad(producer, target, body);
        long periodMicros = 1_000_000L / perSecond;
        load.pacer.scheduleAtFixedRate(load::sendNext, 0, periodMicros, TimeUnit.MICROSECONDS);
        return load;
    }

    private void sendNext() {
        // Never more than `target` accepted: a request is sent only while the accepted plus those in flight fall short.
        if (stopped || accepted.get() >= target || next.get() > maxRequests) {
            if (inFlight.get() == 0) {
                pacer.shutdown();
                done.countDown();
            }
            return;
        }
        if (accepted.get() + inFlight.get() >= target || inFlight.get() >= MAX_IN_FLIGHT) {
            return;
        }
        int number = next.getAndIncrement();
        inFlight.incrementAndGet();
        senders.execute(() -> {
            try {
                Http.Response response = Http.post(producer.url("/tasks"), "text/plain",
                        body.apply(number).getBytes(StandardCharsets.UTF_8));
                String id = null;
                if (response.status() == 202) {
                    Matcher matcher = ID.matcher(response.body());
                    id = matcher.find() ? matcher.group(1) : null;
                }
                Sent answer = new Sent(number, System.nanoTime(), response.nanos(), response.status(), id);
                sent.add(answer);
                if (answer.accepted()) {
                    accepted.incrementAndGet();
                }
            } finally {
                inFlight.decrementAndGet();
            }
        });
    }

    /**
     * Sends no more requests and waits (at most {@code atMost}) for those in flight to be answered: for a load that
     * runs for the length of a scenario rather than to a count.
     */
    public void stop(java.time.Duration atMost) {
        stopped = true;
        try {
            done.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Requests answered so far. */
    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    public int answered() {
        return sent.size();
    }

    public long acceptedCount() {
        return sent.stream().filter(Sent::accepted).count();
    }

    /** The ids of every task that got a 202. */
    public List<String> acceptedIds() {
        return sent.stream().filter(Sent::accepted).map(Sent::id).toList();
    }

    /** Answers other than 202. */
    public List<Sent> refused() {
        return sent.stream().filter(s -> !s.accepted()).toList();
    }

    /** The first request accepted that was answered after {@code nanos}. */
    public Optional<Sent> firstAcceptedAfter(long nanos) {
        return sent.stream().filter(s -> s.accepted() && s.answeredAtNanos() - s.latencyNanos() >= nanos)
                .min((a, b) -> Long.compare(a.answeredAtNanos(), b.answeredAtNanos()));
    }

    /** Whether the load is over: {@code target} accepted (or the request cap reached), every request answered. */
    public boolean finished() {
        return done.getCount() == 0;
    }

    @Override
    public void close() {
        pacer.shutdownNow();
        senders.shutdownNow();
    }
}
