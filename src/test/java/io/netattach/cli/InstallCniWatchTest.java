package io.netattach.cli;

import io.netattach.cli.install.HealthEndpoint;
import io.netattach.cli.install.HealthEndpoint.WatchStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.netattach.cli.InstallCniTestSupport.sourceWithPlugins;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code install-cni --watch}: re-installs what was removed or changed, and reports health over HTTP. */
class InstallCniWatchTest {

    @TempDir
    Path tmp;

    @Test
    void watchReinstallsRemovedAndChangedPluginsAndReportsHealth() throws Exception {
        Path src = sourceWithPlugins(tmp.resolve("src"), "v1");
        Path dst = tmp.resolve("dst");
        int port = freePort();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread watcher = new Thread(() -> exit.set(new InstallCniCommand().run(
                new String[] {"--source", src.toString(), "--target", dst.toString(), "--watch", "1",
                        "--health-port", Integer.toString(port)},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))),
                "install-cni-watch-test");
        watcher.start();
        HttpClient http = HttpClient.newHttpClient();
        try {
            await("first pass", () -> out.toString(StandardCharsets.UTF_8).contains("3 installed"));
            await("healthy", () -> get(http, port).statusCode() == 200);
            assertTrue(get(http, port).body().startsWith("ok: 3 plugins in " + dst), get(http, port).body());

            Files.delete(dst.resolve("macvlan"));
            await("macvlan re-installed", () -> Files.exists(dst.resolve("macvlan")));
            Files.writeString(dst.resolve("static"), "tampered");
            await("static restored", () -> readOrEmpty(dst.resolve("static")).equals(readOrEmpty(src.resolve("static"))));
            await("report", () -> out.toString(StandardCharsets.UTF_8).contains("install-cni: updated static"));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("install-cni: installed macvlan"), out.toString());

            Files.move(src, tmp.resolve("src-gone"));
            await("unhealthy", () -> get(http, port).statusCode() == 503);
            assertEquals("unhealthy: source directory " + src + " does not exist\n", get(http, port).body());
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("source directory " + src + " does not exist (retrying every 1s)"));

            Files.move(tmp.resolve("src-gone"), src);
            await("healthy again", () -> get(http, port).statusCode() == 200);
        } finally {
            watcher.interrupt();
            watcher.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertFalse(watcher.isAlive());
        assertEquals(0, exit.get());
    }

    @Test
    void healthTurnsBadWhenTheLoopStalls() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        WatchStatus status = new WatchStatus(Duration.ofSeconds(10), clock);
        assertFalse(status.health().healthy());
        assertTrue(status.health().message().startsWith("starting"));

        status.succeeded("3 plugins");
        assertTrue(status.health().healthy());
        clock.now = clock.now.plusSeconds(50);
        assertTrue(status.health().healthy(), "2 intervals + 30 s of grace");
        clock.now = clock.now.plusSeconds(1);
        assertEquals("unhealthy: last successful pass 51s ago (limit 50s)", status.health().message());

        status.succeeded("3 plugins");
        status.failed("target /x is not a directory");
        assertEquals("unhealthy: target /x is not a directory", status.health().message());
    }

    @Test
    void healthEndpointAnswersOnlyHealthz() throws Exception {
        WatchStatus status = new WatchStatus(Duration.ofSeconds(10), Clock.systemUTC());
        status.succeeded("3 plugins in /x: 3 unchanged");
        try (HealthEndpoint endpoint = HealthEndpoint.start(0, status)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ok = get(http, endpoint.port());
            assertEquals(200, ok.statusCode());
            assertTrue(ok.body().startsWith("ok: 3 plugins in /x: 3 unchanged; last pass "), ok.body());
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, other.statusCode());
        }
    }

    private static HttpResponse<String> get(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not up yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for: " + what);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
