package dev.rabbitworks.subscriber.logs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.rabbitworks.subscriber.config.SubscriberConfig;

/** The most recent received messages, at most {@code subscriber.recent}; the oldest is dropped first. */
@ApplicationScoped
public class RecentLogs {

    private final int capacity;
    private final ArrayDeque<ReceivedLog> entries;

    @Inject
    RecentLogs(SubscriberConfig config) {
        this(config.recent());
    }

    RecentLogs(int capacity) {
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(capacity);
    }

    public synchronized void add(ReceivedLog log) {
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(log);
    }

    /** Up to {@code limit} entries, the most recent first. */
    public synchronized List<ReceivedLog> latest(int limit) {
        List<ReceivedLog> result = new ArrayList<>(Math.min(limit, entries.size()));
        Iterator<ReceivedLog> newestFirst = entries.descendingIterator();
        while (newestFirst.hasNext() && result.size() < limit) {
            result.add(newestFirst.next());
        }
        return result;
    }

    public int capacity() {
        return capacity;
    }
}
