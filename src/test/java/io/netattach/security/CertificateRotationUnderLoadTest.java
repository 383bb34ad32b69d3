package io.netattach.security;

import io.netattach.admission.Https;
import io.netattach.admission.tls.SelfSignedCertificate;
import io.netattach.admission.tls.TlsBootstrap;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.tls.runtime.config.TlsConfig;
import jakarta.inject.Inject;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The serving certificate rotated three times while four clients send reviews (two over keep-alive
 * connections, two with a new TLS connection per review). Rotation is done as a Kubernetes Secret
 * volume does it: the files are symlinks through {@code ..data}, which is swapped atomically to a
 * directory holding the new pair.
 *
 * <p>Zero failed requests, on keep-alive and on new connections alike (the swapping key manager
 * serves the new pair from the next handshake on; the server's SSL context is never rebuilt), every
 * answer is right, and each rotation is served within a few reload periods (2 s in tests).
 */
@QuarkusTest
class CertificateRotationUnderLoadTest {

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @ConfigProperty(name = TlsBootstrap.QUARKUS_CERT)
    String certFile;

    @ConfigProperty(name = TlsBootstrap.QUARKUS_KEY)
    String keyFile;

    @Inject
    TlsConfig registryConfig;

    static final byte[] REVIEW = read("src/test/resources/admission/reviews/nad-create-management-net.json");

    static byte[] read(String file) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Makes {@code file} a symlink to {@code ..data/<name>} holding its current content (served unchanged). */
    private static void linkThroughData(Path dir, Path file, Path firstData) throws Exception {
        Files.copy(file, firstData.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Path tmp = dir.resolve(file.getFileName() + ".link");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, Path.of("..data", file.getFileName().toString()));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes a new pair into a fresh directory and swaps {@code ..data} to it in one rename. */
    private static void rotate(Path dir, SelfSignedCertificate next, int generation, Path cert, Path key) throws Exception {
        Path data = dir.resolve("..rotation-" + generation);
        Files.createDirectories(data);
        next.writePem(data.resolve(cert.getFileName()), data.resolve(key.getFileName()));
        Path tmp = dir.resolve("..data_tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, data.getFileName());
        Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static SSLContext trustAll() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {Https.trustAll()}, null);
        return context;
    }

    @Test
    void theTlsRegistryDoesNotReloadTheServedFiles() {
        // a registry reload would rebuild the server's SSL context (Vert.x refuses new connections meanwhile)
        assertTrue(registryConfig.defaultCertificateConfig().isPresent());
        assertEquals(Optional.empty(), registryConfig.defaultCertificateConfig().get().reloadPeriod());
    }

    @Test
    void rotationUnderLoadLosesNoRequest() throws Exception {
        Path cert = Path.of(certFile);
        Path key = Path.of(keyFile);
        Path dir = cert.getParent();
        Path first = dir.resolve("..rotation-0");
        Files.createDirectories(first);
        Path data = dir.resolve("..data");
        Files.deleteIfExists(data);
        Files.createSymbolicLink(data, first.getFileName());
        linkThroughData(dir, key, first);
        linkThroughData(dir, cert, first);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong newConnections = new AtomicLong();
        SSLContext tls = trustAll();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 2; c++) { // keep-alive
            HttpClient client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + https.getPort() + "/validate/network-attachment-definitions"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(REVIEW)).build();
            clients.add(Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200 && r.body().contains("\"allowed\":true")) {
                            ok.incrementAndGet();
                        } else {
                            failures.add("HTTP " + r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        failures.add("keep-alive at " + System.nanoTime() / 1_000_000 + " ms: " + e);
                    }
                }
            }));
        }
        for (int c = 0; c < 2; c++) { // a new TLS handshake per review
            clients.add(Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("localhost", https.getPort())) {
                        s.setSoTimeout(20_000);
                        s.getOutputStream().write(("POST /validate/network-attachment-definitions HTTP/1.1\r\nHost: localhost\r\n"
                                + "Content-Type: application/json\r\nContent-Length: " + REVIEW.length + "\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        s.getOutputStream().write(REVIEW);
                        String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        if (response.startsWith("HTTP/1.1 200") && response.contains("\"allowed\":true")) {
                            ok.incrementAndGet();
                            newConnections.incrementAndGet();
                        } else {
                            failures.add("new connection: " + response.lines().findFirst().orElse(""));
                        }
                    } catch (Exception e) {
                        failures.add("new connection at " + System.nanoTime() / 1_000_000 + " ms: " + e);
                    }
                }
            }));
        }

        String served = SelfSignedCertificate.sha256Fingerprint(Https.servedCertificate("localhost", https.getPort()));
        List<String> pickedUp = new ArrayList<>();
        for (int generation = 1; generation <= 3; generation++) {
            Thread.sleep(1000);
            SelfSignedCertificate next = SelfSignedCertificate.forLocalhost();
            long rotatedAt = System.nanoTime();
            rotate(dir, next, generation, cert, key);
            long deadline = rotatedAt + 20_000_000_000L; // reload period 2 s in tests; a busy machine is slower
            while (!served.equals(next.sha256Fingerprint()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                try {
                    served = SelfSignedCertificate.sha256Fingerprint(Https.servedCertificate("localhost", https.getPort()));
                } catch (java.io.UncheckedIOException e) {
                    failures.add("probe after rotation " + generation + " at " + System.nanoTime() / 1_000_000 + " ms: " + e.getMessage());
                }
            }
            assertEquals(next.sha256Fingerprint(), served, "rotation " + generation + " not served within 20 s");
            pickedUp.add(String.format("%.1f s", (System.nanoTime() - rotatedAt) / 1e9));
        }
        Thread.sleep(1000);
        running.set(false);
        for (Thread t : clients) {
            t.join(30_000);
        }
        assertTrue(ok.get() > 20, "only " + ok.get() + " reviews answered");
        assertTrue(newConnections.get() > 5, "only " + newConnections.get() + " reviews on new connections");
        assertEquals(List.of(), List.copyOf(failures), ok.get() + " reviews answered, failures: " + failures.size());
        System.out.println("certificate rotation under load: " + ok.get() + " reviews answered (" + newConnections.get()
                + " on new TLS connections), 0 failed; rotations served after " + pickedUp);
    }
}
