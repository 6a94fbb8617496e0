package dev.rabbitworks.producer.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends bytes as they are to the service's HTTP port and reads until the server closes the connection: the way
 * to send what HTTP clients refuse to (another version, no Host, a header over a limit) and to see whether the
 * server closes a connection when it should.
 */
final class RawHttp {

    /** The status line's code (-1 when none came), the whole response, and whether the server closed in time. */
    record Answer(int status, String text, boolean closed) {

        String body() {
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? "" : text.substring(end + 4);
        }
    }

    private RawHttp() {
    }

    /** Writes {@code request} and reads until the server closes the connection or {@code wait} passes. */
    static Answer send(URI root, byte[] request, Duration wait) throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout((int) wait.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            boolean closed = readUntilClosed(socket.getInputStream(), received);
            String text = received.toString(StandardCharsets.ISO_8859_1);
            return new Answer(status(text), text, closed);
        }
    }

    static Answer send(URI root, String request, Duration wait) throws IOException {
        return send(root, request.getBytes(StandardCharsets.ISO_8859_1), wait);
    }

    private static boolean readUntilClosed(InputStream in, ByteArrayOutputStream received) throws IOException {
        byte[] buffer = new byte[8192];
        try {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                received.write(buffer, 0, read);
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true; // closed with a reset: closed all the same
        }
    }

    private static int status(String response) {
        // "HTTP/1.1 202 Accepted": the code follows the first space.
        int space = response.indexOf(' ');
        if (space < 0 || response.length() < space + 4) {
            return -1;
        }
        try {
            return Integer.parseInt(response.substring(space + 1, space + 4));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
