package dev.rabbitworks.producer.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.rabbitworks.producer.config.ProducerConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses, before any route sees it, a request that is not well-formed HTTP/1.x, with a problem body and the
 * connection closed:
 * <ul>
 * <li>a version other than HTTP/1.0 and HTTP/1.1 (HTTP/0.9, HTTP/2.0 as a request line, HTTP/9.9, "http/1.1"): 400.
 * The HTTP decoder hands such requests on as if they were HTTP/1.1; we do not guess what the client meant. (505
 * would also fit; 400 keeps "a client's request never causes a 5xx" a rule without exceptions.)</li>
 * <li>no Host header, or another request the router itself fails with a 4xx: a problem body with that status,
 * logged at DEBUG. Left to the framework's error handler, each is logged at ERROR: a log any client could
 * flood.</li>
 * </ul>
 * A request whose Connection header lists "close" among other options (e.g. "Upgrade, close") gets its
 * connection closed after the response, as RFC 9110 section 7.6.1 says; the server only honours a lone "close".
 * A request whose body is not all in within producer.body-read-timeout of its headers has its connection closed:
 * the idle timeout alone does not stop a client that sends a byte every few seconds.
 */
@ApplicationScoped
public class HttpProtocolFilter {

    /** Ahead of every other filter and route. */
    private static final int PRIORITY = 10_000;

    private static final Logger LOG = Logger.getLogger(HttpProtocolFilter.class);

    private final long bodyReadTimeoutMillis;

    public HttpProtocolFilter(ProducerConfig config) {
        this.bodyReadTimeoutMillis = config.bodyReadTimeout().toMillis();
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(HttpProtocolFilter::clientError);
    }

    void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.version() == null) {
            refuse(context, 400, "Bad Request", "HTTP version not supported: only HTTP/1.0 and HTTP/1.1 are served");
        } else {
            if (asksToClose(request.getHeader(HttpHeaders.CONNECTION))) {
                context.addEndHandler(done -> request.connection().close());
            }
            if (!request.isEnded()) {
                closeUnlessReadWithin(context);
            }
            context.next();
        }
    }

    private void closeUnlessReadWithin(RoutingContext context) {
        HttpServerRequest request = context.request();
        long timer = context.vertx().setTimer(bodyReadTimeoutMillis, fired -> {
            if (!request.isEnded()) {
                LOG.debugf("closing a connection whose request body took over %d ms", bodyReadTimeoutMillis);
                request.connection().close();
            }
        });
        context.addEndHandler(done -> context.vertx().cancelTimer(timer));
    }

    /** A request the router failed before any route ran, with a client-error status. */
    static void clientError(RoutingContext context) {
        int status = context.statusCode();
        if (status < 400 || status >= 500 || context.response().headWritten()) {
            context.next();
            return;
        }
        String detail = context.failure() != null && context.failure().getMessage() != null
                ? context.failure().getMessage() : "malformed request";
        LOG.debugf("refused a malformed request with %d: %s", status, detail);
        refuse(context, status, HttpResponseStatus.valueOf(status).reasonPhrase(), detail);
    }

    static boolean asksToClose(String connection) {
        if (connection == null) {
            return false;
        }
        for (String option : connection.split(",")) {
            if (option.trim().equalsIgnoreCase("close")) {
                return true;
            }
        }
        return false;
    }

    private static void refuse(RoutingContext context, int status, String title, String detail) {
        context.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                .end(Problems.json(new Problem("about:blank", title, status, detail)))
                .onComplete(done -> context.request().connection().close());
    }
}
