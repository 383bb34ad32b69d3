package io.netattach.admission;

import io.netattach.admission.tls.SelfSignedCertificate;
import io.netattach.admission.tls.TlsBootstrap;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Gives every {@code @QuarkusTest} of the module an HTTPS server: a fresh self-signed certificate
 * per test run under {@code target/test-tls/}, configured as {@link TlsBootstrap} configures certificate
 * files (served through the swapping key manager). No private key is ever committed.
 */
@WithTestResource(value = TestTls.class, scope = TestResourceScope.GLOBAL)
public class TestTls implements QuarkusTestResourceLifecycleManager {

    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            Files.createDirectories(Path.of("target", "test-tls"));
            dir = Files.createTempDirectory(Path.of("target", "test-tls"), "run-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        certificate("netattach-test-initial").writePem(cert, key);
        return TlsBootstrap.serverProperties(cert, key, "files"); // as TlsBootstrap configures a mounted Secret
    }

    @Override
    public void stop() {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: target/ is cleaned by the build anyway
        }
    }

    /** A localhost certificate with a recognisable common name. */
    public static SelfSignedCertificate certificate(String commonName) {
        return SelfSignedCertificate.generate(commonName, List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(2));
    }
}
