package io.netattach.admission;

import io.netattach.admission.tls.SelfSignedCertificate;
import io.netattach.admission.tls.TlsBootstrap;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A certificate whose key is not in the files (the key of another certificate beside it) is not
 * served: the served pair stays, every handshake keeps working, the log warns once with the files
 * and the reason, and the next usable pair is served.
 */
@QuarkusTest
class CertificateRejectedPairTest {

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @ConfigProperty(name = TlsBootstrap.QUARKUS_CERT)
    String certFile;

    @ConfigProperty(name = TlsBootstrap.QUARKUS_KEY)
    String keyFile;

    private String served() {
        return SelfSignedCertificate.sha256Fingerprint(Https.servedCertificate("localhost", https.getPort()));
    }

    @Test
    void mismatchedPairIsNotServedAndWarnedOnce() throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(new java.util.logging.SimpleFormatter().formatMessage(record));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("io.netattach.admission.tls.TlsStartupReport");
        logger.addHandler(capture);
        try {
            Path cert = Path.of(certFile);
            String before = served();
            // a new certificate replaces the served one, but the key file keeps the old key
            Path staging = Files.createTempDirectory(cert.getParent(), "staging-");
            SelfSignedCertificate other = TestTls.certificate("netattach-test-other-" + System.nanoTime());
            other.writePem(staging.resolve("tls.crt"), staging.resolve("tls.key"));
            Files.move(staging.resolve("tls.crt"), cert.resolveSibling(".tls.crt.new"));
            Files.move(cert.resolveSibling(".tls.crt.new"), cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            long deadline = System.nanoTime() + 30_000_000_000L;
            while (warnings.isEmpty() && System.nanoTime() < deadline) {
                assertEquals(before, served(), "a mismatched pair must never be served");
                Thread.sleep(200);
            }
            assertEquals(1, warnings.size(), warnings.toString());
            String warning = warnings.getFirst();
            assertTrue(warning.startsWith("TLS certificate \"" + certFile + "\" and key \"" + keyFile + "\": the private key "
                    + "does not belong to the certificate (a signature made with it does not verify); keeping the served "
                    + "certificate ("), warning);
            Thread.sleep(5000); // two more reload periods: the same files are not reported again
            assertEquals(before, served());
            assertEquals(1, warnings.size(), warnings.toString());

            // the key arrives: the pair is served
            other.writePem(cert, Path.of(keyFile));
            deadline = System.nanoTime() + 30_000_000_000L;
            String now = before;
            while (!now.equals(other.sha256Fingerprint()) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                now = served();
            }
            assertEquals(other.sha256Fingerprint(), now);
            Files.deleteIfExists(staging.resolve("tls.key"));
            Files.deleteIfExists(staging);
        } finally {
            logger.removeHandler(capture);
        }
    }
}
