package dev.rabbitworks.subscriber.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class LogLineTest {

    @Test
    void oneLineWithExchangeRoutingKeyIdAndBody() {
        ReceivedLog log = new ReceivedLog("topic_logs", "task.completed", "done", Instant.EPOCH, "id-1");

        assertEquals("received exchange=topic_logs routingKey=task.completed messageId=id-1 body=\"done\"",
                LogLine.of(log, 200));
    }

    @Test
    void aBodyCannotForgeLogLines() {
        ReceivedLog log = new ReceivedLog("logs", "", "a\nFAKE \"line\"\r\u0007", Instant.EPOCH, null);

        assertEquals("received exchange=logs routingKey= body=\"a\\nFAKE \\\"line\\\"\\r\\u0007\"", LogLine.of(log, 200));
    }

    @Test
    void aLongBodyIsCut() {
        ReceivedLog log = new ReceivedLog("logs", "", "x".repeat(1000), Instant.EPOCH, null);

        assertEquals("received exchange=logs routingKey= body=\"xxxxx…[995 more chars]\"", LogLine.of(log, 5));
    }
}
