package io.netattach.admission;

import io.netattach.admission.tls.SelfSignedCertificate;
import io.netattach.admission.tls.ServedCertificate;
import io.netattach.admission.tls.TlsBootstrap;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code quarkus} outcome of {@link TlsBootstrap}: the operator configured the Quarkus TLS
 * registry directly, so the server serves the registry's key store (no swapping key manager) and
 * Quarkus reloads it every {@code quarkus.tls.reload-period}; readiness reports the reloaded one.
 */
@QuarkusTest
@TestProfile(QuarkusKeyStoreReloadTest.RegistryKeyStore.class)
class QuarkusKeyStoreReloadTest {

    public static class RegistryKeyStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(TlsBootstrap.SOURCE_PROPERTY, "quarkus", TlsBootstrap.QUARKUS_RELOAD_PERIOD, "2s");
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @ConfigProperty(name = TlsBootstrap.QUARKUS_CERT)
    String certFile;

    @ConfigProperty(name = TlsBootstrap.QUARKUS_KEY)
    String keyFile;

    @Inject
    ServedCertificate served;

    @Test
    void theRegistryServesAndReloadsItsOwnKeyStore() throws Exception {
        assertEquals(Optional.empty(), served.keyManager());
        String before = SelfSignedCertificate.sha256Fingerprint(Https.servedCertificate("localhost", https.getPort()));
        assertEquals(before, served.current().map(SelfSignedCertificate::sha256Fingerprint).orElse(""));

        SelfSignedCertificate rotated = TestTls.certificate("netattach-test-registry-" + System.nanoTime());
        rotated.writePem(Path.of(certFile), Path.of(keyFile));
        String now = before;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!now.equals(rotated.sha256Fingerprint()) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            try {
                now = SelfSignedCertificate.sha256Fingerprint(Https.servedCertificate("localhost", https.getPort()));
            } catch (UncheckedIOException e) {
                // Quarkus' own reload: handshakes during a context swap may fail (the reason for the key manager)
            }
        }
        assertEquals(rotated.sha256Fingerprint(), now, "registry reload not served");
        String ready = Https.given(https).get("/q/health/ready").asString();
        assertTrue(ready.contains(rotated.sha256Fingerprint()), ready);
    }
}
