package dev.rabbitworks.producer.rest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Counts the service's log records at ERROR (SEVERE) or above while it is started. */
final class ErrorLogCounter extends Handler {

    private final List<String> messages = new CopyOnWriteArrayList<>();

    void start() {
        messages.clear();
        Logger.getLogger("").addHandler(this);
    }

    void stop() {
        Logger.getLogger("").removeHandler(this);
    }

    int count() {
        return messages.size();
    }

    List<String> messages() {
        return messages;
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            messages.add(record.getLoggerName() + ": " + record.getMessage());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
