package dev.rabbitworks.rpc.messaging;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

import dev.rabbitworks.rpc.procedure.Procedure;
import dev.rabbitworks.rpc.procedure.Reply;
import dev.rabbitworks.rpc.procedure.RequestArgument;

/**
 * A test-only procedure, {@code hold}: each call stays in progress until the test releases it, so the test
 * can count how many requests the service works on at once (a condition, not a timing).
 */
@Singleton
public class HoldProcedure implements Procedure {

    public static final String NAME = "hold";
    /** A held call gives up after this long (so a failed test leaves no worker thread behind for long). */
    private static final long HOLD_LIMIT_SECONDS = 30;

    private final AtomicInteger inProgress = new AtomicInteger();
    private final AtomicInteger maxInProgress = new AtomicInteger();
    private volatile CountDownLatch release = new CountDownLatch(1);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Reply call(RequestArgument argument) {
        int now = inProgress.incrementAndGet();
        maxInProgress.accumulateAndGet(now, Math::max);
        try {
            return Reply.text(release.await(HOLD_LIMIT_SECONDS, TimeUnit.SECONDS) ? "released" : "gave up");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.text("interrupted");
        } finally {
            inProgress.decrementAndGet();
        }
    }

    /** Calls being computed right now. */
    public int inProgress() {
        return inProgress.get();
    }

    /** The most calls computed at once since the last {@link #reset()}. */
    public int maxInProgress() {
        return maxInProgress.get();
    }

    /** Lets every held call (and every later one) return. */
    public void releaseAll() {
        release.countDown();
    }

    /** Holds the next calls again and forgets the maximum; call with no call in progress. */
    public void reset() {
        releaseAll();
        release = new CountDownLatch(1);
        maxInProgress.set(0);
    }
}
