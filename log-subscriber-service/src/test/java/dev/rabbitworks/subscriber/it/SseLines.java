package dev.rabbitworks.subscriber.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/** Reads a server-sent-events stream line by line in the background, until closed. */
final class SseLines implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();

    private SseLines() {
    }

    static SseLines open(URI uri) {
        SseLines reader = new SseLines();
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .sendAsync(HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET().build(),
                        HttpResponse.BodyHandlers.fromLineSubscriber(reader.new LineSubscriber()));
        return reader;
    }

    /** The data of every event received so far. */
    List<String> data() {
        return lines.stream().filter(line -> line.startsWith("data:"))
                .map(line -> line.substring("data:".length()).trim())
                .toList();
    }

    @Override
    public void close() {
        Flow.Subscription s = subscription.get();
        if (s != null) {
            s.cancel();
        }
    }

    private final class LineSubscriber implements Flow.Subscriber<String> {

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            lines.add(line);
        }

        @Override
        public void onError(Throwable throwable) {
            // the stream ends when the test closes it
        }

        @Override
        public void onComplete() {
            // nothing to do
        }
    }
}
