package io.netattach.admission.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelfSignedCertificateTest {

    @Test
    void localhostCertificateIsAValidServerCertificate() throws Exception {
        X509Certificate c = SelfSignedCertificate.forLocalhost().certificate();
        c.checkValidity();
        c.verify(c.getPublicKey());
        assertEquals(3, c.getVersion());
        assertEquals("CN=localhost", c.getSubjectX500Principal().getName());
        assertEquals(c.getSubjectX500Principal(), c.getIssuerX500Principal());
        assertEquals("SHA256withECDSA", c.getSigAlgName());
        assertEquals(-1, c.getBasicConstraints(), "not a CA");
        assertTrue(c.getKeyUsage()[0], "digitalSignature");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), c.getExtendedKeyUsage());
        Set<String> sans = new HashSet<>();
        for (List<?> san : c.getSubjectAlternativeNames()) {
            sans.add(san.get(0) + "=" + san.get(1));
        }
        assertEquals(Set.of("2=localhost", "7=127.0.0.1", "7=0:0:0:0:0:0:0:1"), sans);
        assertTrue(c.getNotAfter().toInstant().isAfter(java.time.Instant.now().plus(Duration.ofDays(364))));
    }

    @Test
    void pemFilesRoundTripAndTheKeyIsPrivate(@TempDir Path dir) throws Exception {
        SelfSignedCertificate generated = SelfSignedCertificate.generate("netattach-test", List.of("localhost"),
                List.of("127.0.0.1"), Duration.ofDays(1));
        Path cert = dir.resolve("sub/tls.crt");
        Path key = dir.resolve("sub/tls.key");
        generated.writePem(cert, key);

        Collection<? extends java.security.cert.Certificate> read = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(cert)));
        assertEquals(List.of(generated.certificate()), List.copyOf(read));
        String pem = Files.readString(key, StandardCharsets.US_ASCII);
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n") && pem.endsWith("-----END PRIVATE KEY-----\n"), pem);
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        var privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(privateKey);
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        s.initVerify(generated.certificate().getPublicKey());
        s.update(new byte[] {1, 2, 3});
        assertTrue(s.verify(sig), "key and certificate belong together");
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(key));
        try (var files = Files.list(cert.getParent())) {
            assertEquals(2, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void fingerprintIsUppercaseColonSeparatedSha256() {
        String fp = SelfSignedCertificate.forLocalhost().sha256Fingerprint();
        assertTrue(fp.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), fp);
    }

    @Test
    void opensslReadsTheCertificateWhenInstalled(@TempDir Path dir) throws Exception {
        Path openssl = Path.of("/usr/bin/openssl");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(openssl), "openssl not installed: skipped");
        SelfSignedCertificate generated = SelfSignedCertificate.forLocalhost();
        generated.writePem(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        Process p = new ProcessBuilder(openssl.toString(), "x509", "-in", dir.resolve("tls.crt").toString(),
                "-noout", "-fingerprint", "-sha256", "-ext", "subjectAltName").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains(generated.sha256Fingerprint()), out);
        assertTrue(out.contains("DNS:localhost") && out.contains("IP Address:127.0.0.1"), out);
        Process k = new ProcessBuilder(openssl.toString(), "pkey", "-in", dir.resolve("tls.key").toString(), "-noout")
                .redirectErrorStream(true).start();
        String keyOut = new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, k.waitFor(), keyOut);
    }
}
