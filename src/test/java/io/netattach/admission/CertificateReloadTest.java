package io.netattach.admission;

import io.netattach.admission.tls.SelfSignedCertificate;
import io.netattach.admission.tls.TlsBootstrap;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A certificate rotated on disk is served without restart: the swapping key manager re-reads the PEM
 * files every {@code netattach.tls.reload-period} (2 s in tests) and serves the new pair from the next
 * handshake on.
 */
@QuarkusTest
class CertificateReloadTest {

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @ConfigProperty(name = TlsBootstrap.QUARKUS_CERT)
    String certFile;

    @ConfigProperty(name = TlsBootstrap.QUARKUS_KEY)
    String keyFile;

    @Test
    void rotatedCertificateIsServedWithoutRestart() throws Exception {
        X509Certificate before = Https.servedCertificate("localhost", https.getPort());

        SelfSignedCertificate rotated = TestTls.certificate("netattach-test-rotated-" + System.nanoTime());
        assertNotEquals(SelfSignedCertificate.sha256Fingerprint(before), rotated.sha256Fingerprint());
        rotated.writePem(Path.of(certFile), Path.of(keyFile));

        X509Certificate served = before;
        long deadline = System.nanoTime() + 60_000_000_000L; // the period is 2 s; allow for a loaded machine
        while (System.nanoTime() < deadline) {
            // the two files are replaced one after the other: a reload that reads the new key with the old
            // certificate keeps serving the old pair until the next period, so every handshake succeeds
            served = Https.servedCertificate("localhost", https.getPort());
            if (SelfSignedCertificate.sha256Fingerprint(served).equals(rotated.sha256Fingerprint())) {
                break;
            }
            Thread.sleep(250);
        }
        assertEquals(rotated.sha256Fingerprint(), SelfSignedCertificate.sha256Fingerprint(served),
                "served certificate after rotation: " + served.getSubjectX500Principal());

        // the server keeps answering reviews on the new certificate, and readiness reports it
        Response review = Https.given(https).contentType("application/json")
                .body(Https.resource(Reviews.MANAGEMENT_CREATE)).post(NadValidationHandler.PATH);
        assertEquals(200, review.statusCode(), review.asString());
        Response ready = Https.given(https).get("/q/health/ready");
        assertTrue(ready.asString().contains(rotated.sha256Fingerprint()), ready.asString());
    }
}
