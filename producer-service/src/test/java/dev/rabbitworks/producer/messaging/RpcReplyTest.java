package dev.rabbitworks.producer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.impl.LongStringHelper;

class RpcReplyTest {

    @Test
    void readsIntegerAndLongStatus() {
        assertEquals(404, RpcReply.statusOf(Map.of("status", 404)));
        assertEquals(400, RpcReply.statusOf(Map.of("status", 400L)));
    }

    @Test
    void readsTextStatusAsSomeClientsSendIt() {
        assertEquals(200, RpcReply.statusOf(Map.of("status", LongStringHelper.asLongString("200"))));
        assertEquals(404, RpcReply.statusOf(Map.of("status", "404".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aMissingStatusIsASuccess() {
        assertEquals(200, RpcReply.statusOf(null));
        assertEquals(200, RpcReply.statusOf(Map.of()));
    }

    @Test
    void anUnreadableStatusIsNoKnownStatus() {
        assertEquals(-1, RpcReply.statusOf(Map.of("status", "ok")));
    }
}
