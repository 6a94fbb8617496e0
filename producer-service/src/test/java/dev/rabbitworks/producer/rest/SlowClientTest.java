package dev.rabbitworks.producer.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A slow or stuck client costs bounded time: its connection is closed by the idle timeout when it sends nothing,
 * and by the body-read timeout when it trickles its body byte by byte (which keeps the idle timeout from firing).
 * Both are short here (2 s); the defaults are 30 s.
 */
@QuarkusTest
@TestProfile(SlowClientTest.ShortTimeouts.class)
class SlowClientTest {

    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.idle-timeout", "2s", "producer.body-read-timeout", "2s");
        }
    }

    /** Far above both timeouts, far below "never". */
    private static final Duration BOUND = Duration.ofSeconds(15);

    @TestHTTPResource("/")
    URI root;

    @Test
    void aClientThatStopsInTheMiddleOfItsHeadersIsDisconnected() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("POST /tasks HTTP/1.1\r\nHost: x\r\nContent-Ty".getBytes(StandardCharsets.US_ASCII));

            assertEquals(-1, socket.getInputStream().read(), "closed without an answer");
        }
    }

    @Test
    void aClientThatTricklesItsBodyIsDisconnected() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /tasks HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            boolean closed = false;
            // One byte, then up to 500 ms waiting for the server to hang up: never idle for 2 s, and the whole
            // body would take 50 s.
            socket.setSoTimeout(500);
            for (int i = 0; i < 100 && !closed; i++) {
                closed = !sendByte(out) || hungUp(socket.getInputStream());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(closed, "still open after the whole body was sent");
            assertTrue(took.compareTo(BOUND) < 0, "closed after " + took);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(root.getHost(), root.getPort());
        socket.setSoTimeout((int) BOUND.toMillis());
        return socket;
    }

    private static boolean sendByte(OutputStream out) {
        try {
            out.write('x');
            out.flush();
            return true;
        } catch (IOException reset) {
            return false;
        }
    }

    /** True when the server closed the connection (end of stream or reset) before the socket's read timeout. */
    private static boolean hungUp(InputStream in) {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
