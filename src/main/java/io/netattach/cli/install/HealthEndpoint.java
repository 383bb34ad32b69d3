package io.netattach.cli.install;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;

/**
 * The health of the {@code install-cni --watch} loop over plain HTTP (JDK built-in server, no framework):
 * {@code GET /healthz} answers 200 while the last pass succeeded and is recent, 503 otherwise, with
 * a one-line reason as the body. The DaemonSet points its liveness and readiness probes at it.
 */
public final class HealthEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final WatchStatus status;

    private HealthEndpoint(HttpServer server, WatchStatus status) {
        this.server = server;
        this.status = status;
    }

    /** Starts serving on {@code port} (0 picks a free port) on all addresses. */
    public static HealthEndpoint start(int port, WatchStatus status) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
        HealthEndpoint endpoint = new HealthEndpoint(server, status);
        server.createContext("/healthz", endpoint::handle);
        server.createContext("/", exchange -> endpoint.respond(exchange, 404, "not found; try /healthz\n"));
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "install-cni-health");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return endpoint;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
            respond(exchange, 405, "method not allowed\n");
            return;
        }
        WatchStatus.Health health = status.health();
        respond(exchange, health.healthy() ? 200 : 503, health.message() + "\n");
    }

    private void respond(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** What the watch loop reports after each pass; read by the endpoint. Thread-safe. */
    public static final class WatchStatus {

        /** Whether the loop is healthy, and why (one line). */
        public record Health(boolean healthy, String message) {
        }

        private final Duration interval;
        private final Clock clock;
        private Instant lastSuccess;
        private String lastError;
        private String lastSummary = "";

        public WatchStatus(Duration interval, Clock clock) {
            this.interval = interval;
            this.clock = clock;
        }

        public synchronized void succeeded(String summary) {
            lastSuccess = clock.instant();
            lastError = null;
            lastSummary = summary;
        }

        public synchronized void failed(String error) {
            lastError = error;
        }

        /** Healthy when the last pass succeeded no longer ago than two intervals plus 30 s. */
        public synchronized Health health() {
            if (lastError != null) {
                return new Health(false, "unhealthy: " + lastError);
            }
            if (lastSuccess == null) {
                return new Health(false, "starting: no install pass has completed yet");
            }
            Duration age = Duration.between(lastSuccess, clock.instant());
            Duration limit = interval.multipliedBy(2).plusSeconds(30);
            if (age.compareTo(limit) > 0) {
                return new Health(false, "unhealthy: last successful pass " + age.toSeconds()
                        + "s ago (limit " + limit.toSeconds() + "s)");
            }
            return new Health(true, "ok: " + lastSummary + "; last pass " + age.toSeconds() + "s ago");
        }
    }
}
