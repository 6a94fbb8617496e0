package dev.rabbitworks.subscriber.logs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Shows a received message everywhere it is shown: the log, GET /logs, the live stream and the metrics. */
@ApplicationScoped
public class LogRecorder {

    private static final Logger LOG = Logger.getLogger(LogRecorder.class);
    /** Bodies in the log line are cut here; the full (bounded) body is in GET /logs. */
    static final int LOG_LINE_BODY_CHARS = 200;
    static final String RECEIVED_METRIC = "subscriber.messages.received";

    private final RecentLogs recent;
    private final LiveLogs live;
    private final MeterRegistry registry;
    private final Map<String, Counter> receivedByExchange = new ConcurrentHashMap<>();

    LogRecorder(RecentLogs recent, LiveLogs live, MeterRegistry registry) {
        this.recent = recent;
        this.live = live;
        this.registry = registry;
    }

    public void record(ReceivedLog log) {
        LOG.info(LogLine.of(log, LOG_LINE_BODY_CHARS));
        recent.add(log);
        live.publish(log);
        receivedByExchange.computeIfAbsent(log.exchange(), this::receivedCounter).increment();
    }

    private Counter receivedCounter(String exchange) {
        return Counter.builder(RECEIVED_METRIC)
                .description("Messages received, by the exchange they were published to")
                .tag("exchange", exchange)
                .register(registry);
    }
}
