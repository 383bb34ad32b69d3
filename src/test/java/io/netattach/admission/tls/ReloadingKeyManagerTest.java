package io.netattach.admission.tls;

import io.netattach.admission.tls.ReloadingKeyManager.Reload;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReloadingKeyManagerTest {

    private static SelfSignedCertificate certificate(String name) {
        return SelfSignedCertificate.generate(name, List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
    }

    private static String fingerprint(X509Certificate certificate) {
        return SelfSignedCertificate.sha256Fingerprint(certificate);
    }

    @Test
    void servesThePairOfTheFiles(@TempDir Path dir) {
        SelfSignedCertificate first = certificate("first");
        first.writePem(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        ReloadingKeyManager km = new ReloadingKeyManager(dir.resolve("tls.crt"), dir.resolve("tls.key"));

        String alias = km.chooseEngineServerAlias("EC", null, null);
        assertNotNull(alias);
        assertEquals(first.sha256Fingerprint(), fingerprint(km.getCertificateChain(alias)[0]));
        assertArrayEquals(first.privateKey().getEncoded(), km.getPrivateKey(alias).getEncoded());
        assertNull(km.chooseEngineServerAlias("RSA", null, null), "an EC key serves no RSA suite");
        assertNull(km.chooseEngineServerAlias("RSASSA-PSS", null, null));
        assertEquals(alias, km.chooseServerAlias("EC_EC", null, null));
        assertArrayEquals(new String[] {alias}, km.getServerAliases("EC", null));
        assertNull(km.chooseEngineClientAlias(new String[] {"EC"}, null, null), "serves only");
    }

    @Test
    void unchangedFilesAreNotParsedAgain(@TempDir Path dir) throws Exception {
        certificate("first").writePem(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        ReloadingKeyManager km = new ReloadingKeyManager(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        int parses = km.parses();
        // the same bytes rewritten (new mtime, new inode) are still the same pair
        Files.copy(dir.resolve("tls.crt"), dir.resolve("copy"));
        Files.move(dir.resolve("copy"), dir.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING);
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(Reload.Unchanged.class, km.reload());
        }
        assertEquals(parses, km.parses());
    }

    @Test
    void changedFilesAreSwappedAndTheOldAliasStillResolves(@TempDir Path dir) {
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        SelfSignedCertificate first = certificate("first");
        first.writePem(cert, key);
        ReloadingKeyManager km = new ReloadingKeyManager(cert, key);
        String oldAlias = km.chooseEngineServerAlias("EC", null, null);

        SelfSignedCertificate second = certificate("second");
        second.writePem(cert, key);
        Reload.Rotated rotated = assertInstanceOf(Reload.Rotated.class, km.reload());
        assertEquals(first.sha256Fingerprint(), fingerprint(rotated.previous()));
        assertEquals(second.sha256Fingerprint(), fingerprint(rotated.current()));
        assertEquals(second.sha256Fingerprint(), fingerprint(km.certificate()));

        String newAlias = km.chooseEngineServerAlias("EC", null, null);
        assertFalse(newAlias.equals(oldAlias));
        assertEquals(second.sha256Fingerprint(), fingerprint(km.getCertificateChain(newAlias)[0]));
        // a handshake that chose its alias before the swap still gets one consistent pair
        assertEquals(first.sha256Fingerprint(), fingerprint(km.getCertificateChain(oldAlias)[0]));
        assertArrayEquals(first.privateKey().getEncoded(), km.getPrivateKey(oldAlias).getEncoded());
        assertInstanceOf(Reload.Unchanged.class, km.reload());
    }

    @Test
    void halfWrittenCertificateKeepsTheServedPairAndIsReportedOnce(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        SelfSignedCertificate first = certificate("first");
        first.writePem(cert, key);
        ReloadingKeyManager km = new ReloadingKeyManager(cert, key);

        SelfSignedCertificate second = certificate("second");
        Path staging = Files.createDirectory(dir.resolve("staging"));
        second.writePem(staging.resolve("tls.crt"), staging.resolve("tls.key"));
        byte[] full = Files.readAllBytes(staging.resolve("tls.crt"));
        Files.write(cert, Arrays.copyOf(full, full.length / 2)); // the writer is half way through
        Files.copy(staging.resolve("tls.key"), key, StandardCopyOption.REPLACE_EXISTING);

        Reload.Rejected rejected = assertInstanceOf(Reload.Rejected.class, km.reload());
        assertFalse(rejected.repeated());
        assertEquals("TLS certificate \"" + cert + "\" and key \"" + key + "\": the certificate file holds no complete "
                + "-----BEGIN CERTIFICATE----- block", rejected.reason());
        assertEquals(first.sha256Fingerprint(), fingerprint(km.certificate()));
        int parses = km.parses();
        Reload.Rejected again = assertInstanceOf(Reload.Rejected.class, km.reload());
        assertTrue(again.repeated(), "reported once");
        assertEquals(parses, km.parses(), "the same rejected bytes are not parsed again");

        Files.write(cert, full); // the writer finished
        Reload.Rotated rotated = assertInstanceOf(Reload.Rotated.class, km.reload());
        assertEquals(second.sha256Fingerprint(), fingerprint(rotated.current()));
    }

    @Test
    void keyOfAnotherCertificateKeepsTheServedPair(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        SelfSignedCertificate first = certificate("first");
        first.writePem(cert, key);
        ReloadingKeyManager km = new ReloadingKeyManager(cert, key);

        certificate("second").writePem(cert, dir.resolve("unused.key")); // new certificate, old key
        Reload.Rejected rejected = assertInstanceOf(Reload.Rejected.class, km.reload());
        assertTrue(rejected.reason().endsWith("the private key does not belong to the certificate "
                + "(a signature made with it does not verify)"), rejected.reason());
        assertEquals(first.sha256Fingerprint(), fingerprint(km.certificate()));
    }

    @Test
    void garbageAndMissingFilesKeepTheServedPair(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        SelfSignedCertificate first = certificate("first");
        first.writePem(cert, key);
        ReloadingKeyManager km = new ReloadingKeyManager(cert, key);
        byte[] goodKey = Files.readAllBytes(key);

        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertTrue(assertInstanceOf(Reload.Rejected.class, km.reload()).reason()
                .contains("the key file holds a PKCS#8 private key that cannot be read (damaged, or not RSA or EC): "));
        Files.writeString(key, "not a key at all\n");
        Reload.Rejected noKey = assertInstanceOf(Reload.Rejected.class, km.reload());
        assertFalse(noKey.repeated(), "another problem is reported again");
        assertTrue(noKey.reason().endsWith("the key file holds no complete -----BEGIN PRIVATE KEY----- (or RSA / EC "
                + "PRIVATE KEY) block"), noKey.reason());
        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        assertTrue(assertInstanceOf(Reload.Rejected.class, km.reload()).reason()
                .contains("the certificate file holds a damaged certificate"));
        Files.delete(cert);
        Reload.Rejected missing = assertInstanceOf(Reload.Rejected.class, km.reload());
        assertTrue(missing.reason().contains("cannot be read (java.nio.file.NoSuchFileException"), missing.reason());
        assertTrue(assertInstanceOf(Reload.Rejected.class, km.reload()).repeated());
        assertEquals(first.sha256Fingerprint(), fingerprint(km.certificate()));

        first.writePem(cert, key); // the served pair back: nothing to swap, and the next problem is reported again
        assertInstanceOf(Reload.Unchanged.class, km.reload());
        assertArrayEquals(goodKey, Files.readAllBytes(key));
        Files.delete(cert);
        assertFalse(assertInstanceOf(Reload.Rejected.class, km.reload()).repeated());
    }

    @Test
    void anUnusablePairAtStartIsRefusedWithTheReason(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("tls.crt");
        certificate("first").writePem(cert, dir.resolve("tls.key"));
        Files.writeString(dir.resolve("other.key"), "");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReloadingKeyManager(cert, dir.resolve("other.key")));
        assertTrue(e.getMessage().endsWith("the key file holds no complete -----BEGIN PRIVATE KEY----- "
                + "(or RSA / EC PRIVATE KEY) block"), e.getMessage());
    }

    /** A Kubernetes Secret volume: tls.crt -> ..data/tls.crt, ..data -> ..2026_..., swapped by one rename. */
    @Test
    void secretVolumeDataSwapIsFollowed(@TempDir Path dir) throws Exception {
        SelfSignedCertificate first = certificate("first");
        Path v1 = Files.createDirectory(dir.resolve("..2026_11_29_v1"));
        first.writePem(v1.resolve("tls.crt"), v1.resolve("tls.key"));
        Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
        Files.createSymbolicLink(dir.resolve("tls.crt"), Path.of("..data", "tls.crt"));
        Files.createSymbolicLink(dir.resolve("tls.key"), Path.of("..data", "tls.key"));
        ReloadingKeyManager km = new ReloadingKeyManager(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        assertEquals(first.sha256Fingerprint(), fingerprint(km.certificate()));

        SelfSignedCertificate second = certificate("second");
        Path v2 = Files.createDirectory(dir.resolve("..2026_11_29_v2"));
        second.writePem(v2.resolve("tls.crt"), v2.resolve("tls.key"));
        Files.createSymbolicLink(dir.resolve("..data_tmp"), v2.getFileName());
        Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

        assertInstanceOf(Reload.Rotated.class, km.reload());
        assertEquals(second.sha256Fingerprint(), fingerprint(km.certificate()));
    }

    // --- key formats -------------------------------------------------------------------------

    private static boolean openssl(Path dir, String... args) throws Exception {
        Process p;
        try {
            String[] command = new String[args.length + 1];
            command[0] = "openssl";
            System.arraycopy(args, 0, command, 1, args.length);
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return false;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl " + String.join(" ", args) + ": " + out);
        return true;
    }

    @Test
    void pkcs1RsaKeyAsCertManagerWritesIt(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(openssl(dir, "genrsa", "-traditional", "-out", "tls.key", "2048"), "openssl not installed");
        openssl(dir, "req", "-x509", "-key", "tls.key", "-out", "tls.crt", "-subj", "/CN=localhost", "-days", "1");
        assertTrue(Files.readString(dir.resolve("tls.key")).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        ReloadingKeyManager km = new ReloadingKeyManager(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        assertEquals("RSA", km.current().privateKey().getAlgorithm());
        assertNotNull(km.chooseEngineServerAlias("RSA", null, null));
        assertNull(km.chooseEngineServerAlias("EC", null, null));
        assertEquals("TLSv1.3 CN=localhost", handshake(km, "TLSv1.3"));
        assertEquals("TLSv1.2 CN=localhost", handshake(km, "TLSv1.2"));

        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-out", "tls.crt",
                "-subj", "/CN=other", "-days", "1");
        assertTrue(assertInstanceOf(Reload.Rejected.class, km.reload()).reason()
                .endsWith("the private key does not belong to the certificate (RSA moduli differ)"));
    }

    @Test
    void sec1EcKeyWithItsParametersBlock(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(openssl(dir, "ecparam", "-name", "secp384r1", "-genkey", "-out", "tls.key"),
                "openssl not installed");
        openssl(dir, "req", "-x509", "-key", "tls.key", "-out", "tls.crt", "-subj", "/CN=localhost", "-days", "1");
        String pem = Files.readString(dir.resolve("tls.key"));
        assertTrue(pem.startsWith("-----BEGIN EC PARAMETERS-----") && pem.contains("-----BEGIN EC PRIVATE KEY-----"), pem);
        ReloadingKeyManager km = new ReloadingKeyManager(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        assertEquals("EC", km.current().privateKey().getAlgorithm());
        assertEquals("TLSv1.3 CN=localhost", handshake(km, "TLSv1.3"));
    }

    @Test
    void sec1EcKeyWithoutParametersTakesTheCurveOfTheCertificate(@TempDir Path dir) throws Exception {
        SelfSignedCertificate ec = certificate("ec");
        ec.writePem(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        ReloadingKeyManager km = new ReloadingKeyManager(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        // the JDK's PKCS#8 holds a SEC1 ECPrivateKey without [0] parameters: write that alone, as EC PRIVATE KEY
        byte[] pkcs8 = ec.privateKey().getEncoded();
        Files.writeString(dir.resolve("tls.key"), SelfSignedCertificate.pem("EC PRIVATE KEY", lastOctetString(pkcs8)));
        Reload.Rotated reformatted = assertInstanceOf(Reload.Rotated.class, km.reload());
        assertEquals(ec.sha256Fingerprint(), fingerprint(reformatted.current()));
        assertArrayEquals(pkcs8, km.current().privateKey().getEncoded());
        assertEquals("TLSv1.3 CN=ec", handshake(km, "TLSv1.3"));
    }

    /** The content of the last top-level OCTET STRING of a PKCS#8 PrivateKeyInfo (the algorithm's own key encoding). */
    private static byte[] lastOctetString(byte[] pkcs8) {
        int i = 2 + ((pkcs8[1] & 0x80) != 0 ? (pkcs8[1] & 0x7f) : 0); // into the outer SEQUENCE
        byte[] last = null;
        while (i < pkcs8.length) {
            int tag = pkcs8[i] & 0xff;
            int len = pkcs8[i + 1] & 0xff;
            int header = 2;
            if (len >= 0x80) {
                int n = len & 0x7f;
                len = 0;
                for (int k = 0; k < n; k++) {
                    len = (len << 8) | (pkcs8[i + 2 + k] & 0xff);
                }
                header += n;
            }
            if (tag == 0x04) {
                last = Arrays.copyOfRange(pkcs8, i + header, i + header + len);
            }
            i += header + len;
        }
        return last;
    }

    /** A real JDK TLS handshake against a server socket using the key manager; "protocol subject CN". */
    private static String handshake(ReloadingKeyManager km, String protocol) throws Exception {
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(new KeyManager[] {km}, null, null);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0)) {
            Thread accept = Thread.ofPlatform().start(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    s.getOutputStream().write(1);
                    s.getInputStream().read();
                } catch (IOException e) {
                    // the client reports the failure
                }
            });
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("localhost", listener.getLocalPort())) {
                s.setSoTimeout(10_000);
                s.setEnabledProtocols(new String[] {protocol});
                s.startHandshake();
                s.getInputStream().read();
                s.getOutputStream().write(1);
                X509Certificate served = (X509Certificate) s.getSession().getPeerCertificates()[0];
                return s.getSession().getProtocol() + " " + served.getSubjectX500Principal().getName();
            } finally {
                accept.join(10_000);
            }
        }
    }

    @Test
    void aHandshakeAfterASwapGetsTheNewCertificate(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        certificate("first").writePem(cert, key);
        ReloadingKeyManager km = new ReloadingKeyManager(cert, key);
        assertEquals("TLSv1.3 CN=first", handshake(km, "TLSv1.3"));
        certificate("second").writePem(cert, key);
        assertInstanceOf(Reload.Rotated.class, km.reload());
        assertEquals("TLSv1.3 CN=second", handshake(km, "TLSv1.3"));
        assertEquals("TLSv1.2 CN=second", handshake(km, "TLSv1.2"));
    }
}
