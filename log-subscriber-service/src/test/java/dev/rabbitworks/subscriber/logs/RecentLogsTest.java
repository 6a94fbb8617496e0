package dev.rabbitworks.subscriber.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class RecentLogsTest {

    private static ReceivedLog log(String body) {
        return new ReceivedLog("logs", "", body, Instant.EPOCH, null);
    }

    @Test
    void theMostRecentComeFirst() {
        RecentLogs recent = new RecentLogs(10);
        recent.add(log("1"));
        recent.add(log("2"));
        recent.add(log("3"));

        assertEquals(List.of(log("3"), log("2")), recent.latest(2));
    }

    @Test
    void theOldestIsDroppedWhenFull() {
        RecentLogs recent = new RecentLogs(2);
        recent.add(log("1"));
        recent.add(log("2"));
        recent.add(log("3"));

        assertEquals(List.of(log("3"), log("2")), recent.latest(10));
    }
}
