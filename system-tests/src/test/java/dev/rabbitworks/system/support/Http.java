package dev.rabbitworks.system.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;

/** HTTP/1.1 calls to the services, each bounded (a hang is a failure, not a stuck test). */
public final class Http {

    /** Longer than any timeout the services are configured with in these tests. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .executor(Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "system-tests-http");
                thread.setDaemon(true);
                return thread;
            }))
            .build();

    private Http() {
    }

    /** A response, or status -1 with the error as body when the call failed or timed out. */
    public record Response(int status, String contentType, String body, long nanos) {
    }

    public static Response get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /** POST with a content type (null: no Content-Type header). */
    public static Response post(String url, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request);
    }

    public static Response send(HttpRequest.Builder request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = CLIENT.send(request.timeout(REQUEST_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), System.nanoTime() - start);
        } catch (IOException e) {
            return new Response(-1, "", e.toString(), System.nanoTime() - start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-1, "", e.toString(), System.nanoTime() - start);
        }
    }
}
