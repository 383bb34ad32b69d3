package io.netattach.security;

import io.netattach.admission.Https;
import io.netattach.admission.tls.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged webhook ({@code target/quarkus-app/quarkus-run.jar}, prod profile) as a process:
 * reviews that are in flight (body still streaming) when SIGTERM arrives complete with HTTP 200,
 * the process exits 0 or 143 within the grace period ({@code quarkus.shutdown.timeout}), plain HTTP
 * is not served, and the log holds no key material. Runs in {@code verify} (failsafe), after packaging.
 */
class ShutdownDrainIT {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    static final int IN_FLIGHT = 5;

    private Process server;
    private Path dir;

    @AfterEach
    void stop() throws IOException {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static SSLSocket tls(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {Https.trustAll()}, null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        socket.startHandshake();
        return socket;
    }

    static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void sigtermDrainsInFlightReviewsAndExitsWithinTheGracePeriod() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(JAR), "no packaged jar at " + JAR + " (run ./mvnw package)");
        dir = Files.createTempDirectory("netattach-drain-");
        SelfSignedCertificate cert = SelfSignedCertificate.forLocalhost();
        cert.writePem(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        int https = freePort();
        int http = freePort();
        Path log = dir.resolve("server.log");
        server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.ssl-port=" + https, "-Dquarkus.http.port=" + http, "-Dnetattach.catalog.mode=directory",
                "-Dnetattach.tls.cert=" + dir.resolve("tls.crt"), "-Dnetattach.tls.key=" + dir.resolve("tls.key"),
                "-jar", JAR.toString(), "serve")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();

        // ready?
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        boolean ready = false;
        while (!ready && System.nanoTime() < deadline && server.isAlive()) {
            try (SSLSocket s = tls(https)) {
                s.getOutputStream().write("GET /q/health/ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                ready = readAll(s.getInputStream()).startsWith("HTTP/1.1 200");
            } catch (IOException e) {
                Thread.sleep(300);
            }
        }
        assertTrue(ready, "server not ready: " + Files.readString(log));

        // plain HTTP is not served in production
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", http).close(), "plain HTTP port " + http + " is open");

        // reviews in flight: headers and half of each body sent
        byte[] body = Files.readAllBytes(Path.of("src/test/resources/admission/reviews/nad-create-management-net.json"));
        List<SSLSocket> inFlight = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
            SSLSocket s = tls(https);
            OutputStream out = s.getOutputStream();
            out.write(("POST /validate/network-attachment-definitions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();
            inFlight.add(s);
        }
        Thread.sleep(500);
        long sigterm = System.nanoTime();
        server.destroy(); // SIGTERM
        Thread.sleep(1000);
        for (SSLSocket s : inFlight) {
            s.getOutputStream().write(body, body.length / 2, body.length - body.length / 2);
            s.getOutputStream().flush();
        }
        for (SSLSocket s : inFlight) {
            String response = readAll(s.getInputStream());
            s.close();
            assertTrue(response.startsWith("HTTP/1.1 200"), "in-flight review not completed: " + response);
            assertTrue(response.contains("\"uid\":\"0f7c8a3e-2b4d-4d7e-9a51-7c2e6b1d9f40\""), response);
        }
        assertTrue(server.waitFor(20, TimeUnit.SECONDS), "server still running 20 s after SIGTERM");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - sigterm);
        int exit = server.exitValue();
        String output = Files.readString(log);
        assertTrue(exit == 0 || exit == 143, "exit code " + exit + ": " + output);
        assertTrue(seconds <= 15, "exit " + seconds + " s after SIGTERM (grace period: quarkus.shutdown.timeout)");

        // no key material in the log
        String keyPem = Files.readString(dir.resolve("tls.key"));
        assertFalse(output.contains("PRIVATE KEY"), output);
        String keyBase64 = Base64.getEncoder().encodeToString(cert.privateKey().getEncoded());
        assertFalse(output.contains(keyBase64.substring(0, 40)), "private key in the log");
        assertFalse(keyPem.isEmpty());
    }
}
