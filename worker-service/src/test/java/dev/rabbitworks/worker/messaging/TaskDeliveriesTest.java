package dev.rabbitworks.worker.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The attempt number of a delivery, from headers any publisher may have set, or set wrong. */
class TaskDeliveriesTest {

    @Test
    void aFirstDeliveryIsAttemptOne() {
        assertEquals(1, TaskDeliveries.attempt(Map.of(), false));
        assertEquals(1, TaskDeliveries.attempt(null, false));
    }

    @Test
    void aRedeliveryCountsTheQueuesDeliveryCount() {
        assertEquals(3, TaskDeliveries.attempt(Map.of("x-delivery-count", 2L), true));
        assertEquals(2, TaskDeliveries.attempt(Map.of(), true));
    }

    @Test
    void aRetriedTaskStartsFromTheAttemptTheWorkerWroteOnIt() {
        assertEquals(3, TaskDeliveries.attempt(Map.of("x-attempt", 3), false));
        assertEquals(4, TaskDeliveries.attempt(Map.of("x-attempt", 3, "x-delivery-count", 1L), true));
        assertEquals(2, TaskDeliveries.attempt(Map.of("x-attempt", "2".getBytes(StandardCharsets.UTF_8)), false));
    }

    @Test
    void malformedHeadersCountAsAbsent() {
        Map<String, Object> headers = new HashMap<>();
        headers.put("x-attempt", "many");
        headers.put("x-delivery-count", -5);
        assertEquals(1, TaskDeliveries.attempt(headers, false));
        headers.put("x-attempt", Map.of("nested", 1));
        headers.put("x-delivery-count", null);
        assertEquals(2, TaskDeliveries.attempt(headers, true));
    }

    @Test
    void hugeNumbersAreCapped() {
        assertEquals(TaskDeliveries.MAX_ATTEMPT, TaskDeliveries.attempt(Map.of("x-attempt", Long.MAX_VALUE,
                "x-delivery-count", Long.MAX_VALUE), true));
    }
}
