package io.netattach.admission.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlsBootstrapTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    private static final java.util.function.Supplier<Path> NO_TEMP = () -> {
        throw new AssertionError("no self-signed certificate expected");
    };

    @Test
    void nothingConfiguredCreatesASelfSignedLocalhostCertificate(@TempDir Path dir) throws Exception {
        var outcome = assertInstanceOf(TlsBootstrap.Outcome.SelfSigned.class,
                TlsBootstrap.decide(props(), Map.of(), () -> dir));
        assertTrue(Files.readString(outcome.cert()).startsWith("-----BEGIN CERTIFICATE-----"));
        assertTrue(Files.readString(outcome.key()).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertEquals(dir, outcome.cert().getParent());
    }

    private static Path[] pemPair(Path dir) {
        Path cert = dir.resolve("c.pem");
        Path key = dir.resolve("k.pem");
        SelfSignedCertificate.forLocalhost().writePem(cert, key);
        return new Path[] {cert, key};
    }

    @Test
    void environmentVariablesNameTheFiles(@TempDir Path dir) throws Exception {
        Path cert = pemPair(dir)[0];
        Path key = pemPair(dir)[1];
        var outcome = assertInstanceOf(TlsBootstrap.Outcome.Files.class, TlsBootstrap.decide(props(),
                Map.of("NETATTACH_TLS_CERT", cert.toString(), "NETATTACH_TLS_KEY", key.toString()), NO_TEMP));
        assertEquals(cert.toAbsolutePath(), outcome.cert());
        assertEquals(key.toAbsolutePath(), outcome.key());
    }

    @Test
    void systemPropertiesWinOverEnvironment(@TempDir Path dir) throws Exception {
        Path[] pair = pemPair(dir);
        Path cert = pair[0];
        Path key = pair[1];
        var outcome = assertInstanceOf(TlsBootstrap.Outcome.Files.class, TlsBootstrap.decide(
                props("netattach.tls.cert", cert.toString(), "netattach.tls.key", key.toString()),
                Map.of("NETATTACH_TLS_CERT", "/nonexistent", "NETATTACH_TLS_KEY", "/nonexistent"), NO_TEMP));
        assertEquals(cert.toAbsolutePath(), outcome.cert());
    }

    @Test
    void certWithoutKeyIsInvalid() {
        var outcome = assertInstanceOf(TlsBootstrap.Outcome.Invalid.class,
                TlsBootstrap.decide(props(), Map.of("NETATTACH_TLS_CERT", "/etc/tls/tls.crt"), NO_TEMP));
        assertEquals("netattach.tls.cert (NETATTACH_TLS_CERT) is set to \"/etc/tls/tls.crt\" but netattach.tls.key "
                + "(NETATTACH_TLS_KEY) is not: set both or neither", outcome.message());
    }

    @Test
    void missingFileIsInvalidAndNamed(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        var outcome = assertInstanceOf(TlsBootstrap.Outcome.Invalid.class, TlsBootstrap.decide(props(),
                Map.of("NETATTACH_TLS_CERT", cert.toString(), "NETATTACH_TLS_KEY", dir.resolve("missing.pem").toString()),
                NO_TEMP));
        assertTrue(outcome.message().contains("missing.pem\" does not exist"), outcome.message());
    }

    @Test
    void garbageCertificateIsInvalidWithACleanMessage(@TempDir Path dir) throws Exception {
        Path[] pair = pemPair(dir);
        Files.writeString(pair[0], "not a certificate");
        var outcome = assertInstanceOf(TlsBootstrap.Outcome.Invalid.class, TlsBootstrap.decide(props(),
                Map.of("NETATTACH_TLS_CERT", pair[0].toString(), "NETATTACH_TLS_KEY", pair[1].toString()), NO_TEMP));
        assertTrue(outcome.message().startsWith("TLS certificate file \"" + pair[0] + "\" "), outcome.message());
        assertTrue(!outcome.message().contains("\n"), outcome.message());
    }

    @Test
    void keyFileWithoutPrivateKeyIsInvalid(@TempDir Path dir) throws Exception {
        Path[] pair = pemPair(dir);
        var outcome = assertInstanceOf(TlsBootstrap.Outcome.Invalid.class, TlsBootstrap.decide(props(),
                Map.of("NETATTACH_TLS_CERT", pair[0].toString(), "NETATTACH_TLS_KEY", pair[0].toString()), NO_TEMP));
        assertEquals("TLS key file \"" + pair[0] + "\" holds no PEM private key (netattach.tls.key): expected "
                + "-----BEGIN PRIVATE KEY----- (or RSA / EC PRIVATE KEY)", outcome.message());
    }

    @Test
    void quarkusKeyStoreConfigurationIsLeftAlone() {
        assertInstanceOf(TlsBootstrap.Outcome.QuarkusConfigured.class,
                TlsBootstrap.decide(props("quarkus.tls.key-store.p12.path", "/x.p12"), Map.of(), NO_TEMP));
        assertInstanceOf(TlsBootstrap.Outcome.QuarkusConfigured.class,
                TlsBootstrap.decide(props(), Map.of("QUARKUS_TLS_KEY_STORE_PEM_0_CERT", "/x.pem"), NO_TEMP));
    }

    @Test
    void keyOfAnotherCertificateIsInvalid(@TempDir Path dir) throws Exception {
        Path[] pair = pemPair(dir);
        SelfSignedCertificate.forLocalhost().writePem(dir.resolve("other.pem"), pair[1]);
        var outcome = assertInstanceOf(TlsBootstrap.Outcome.Invalid.class, TlsBootstrap.decide(props(),
                Map.of("NETATTACH_TLS_CERT", pair[0].toString(), "NETATTACH_TLS_KEY", pair[1].toString()), NO_TEMP));
        assertEquals("TLS certificate \"" + pair[0] + "\" and key \"" + pair[1] + "\" are not a usable pair "
                + "(netattach.tls.cert / netattach.tls.key): the private key does not belong to the certificate "
                + "(a signature made with it does not verify)", outcome.message());
    }

    @Test
    void certificateFilesAreServedThroughTheKeyManagerWithTheRegistryReloadOff() {
        Map<String, String> p = TlsBootstrap.serverProperties(Path.of("/etc/tls/tls.crt"), Path.of("/etc/tls/tls.key"), "files");
        assertEquals("/etc/tls/tls.crt", p.get("quarkus.tls.key-store.pem.0.cert"));
        assertEquals("/etc/tls/tls.key", p.get("netattach.tls.key"));
        assertEquals("", p.get("quarkus.tls.reload-period"), "an empty value outranks application.properties");
        assertTrue(TlsBootstrap.servesThroughKeyManager("self-signed"));
        assertTrue(!TlsBootstrap.servesThroughKeyManager("quarkus"));
    }

    private static String invalid(Path cert, Path key) {
        return assertInstanceOf(TlsBootstrap.Outcome.Invalid.class, TlsBootstrap.decide(props(),
                Map.of("NETATTACH_TLS_CERT", cert.toString(), "NETATTACH_TLS_KEY", key.toString()), NO_TEMP)).message();
    }

    @Test
    void encryptedKeyIsInvalidAndSaysSo(@TempDir Path dir) throws Exception {
        Path[] pair = pemPair(dir);
        Files.writeString(pair[1], "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n");
        assertEquals("TLS key file \"" + pair[1] + "\" is encrypted (netattach.tls.key): give an unencrypted key",
                invalid(pair[0], pair[1]));
    }

    @Test
    void damagedContentIsBlamedOnTheFileThatHoldsIt(@TempDir Path dir) throws Exception {
        Path[] pair = pemPair(dir);
        String goodCert = Files.readString(pair[0]);
        String goodKey = Files.readString(pair[1]);
        Files.writeString(pair[0], goodCert.replaceFirst("\n[A-Za-z0-9+/]{4}", "\nAAAA"));
        String cert = invalid(pair[0], pair[1]);
        assertTrue(cert.startsWith("TLS certificate file \"" + pair[0] + "\" is not a PEM certificate (netattach.tls.cert): "
                + "the certificate file holds a damaged certificate: "), cert);
        assertTrue(!cert.contains("\n"), cert);

        Files.writeString(pair[0], goodCert);
        Files.writeString(pair[1], goodKey.replaceFirst("\n[A-Za-z0-9+/]{4}", "\nAAAA"));
        String key = invalid(pair[0], pair[1]);
        assertTrue(key.startsWith("TLS certificate \"" + pair[0] + "\" and key \"" + pair[1] + "\" are not a usable pair "
                + "(netattach.tls.cert / netattach.tls.key): the key file holds a PKCS#8 private key that cannot be read"), key);
    }

    @Test
    void keyOfAnotherAlgorithmIsInvalid(@TempDir Path dir) throws Exception {
        Path[] pair = pemPair(dir);
        java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Files.writeString(pair[1], SelfSignedCertificate.pem("PRIVATE KEY", rsa.generateKeyPair().getPrivate().getEncoded()));
        assertTrue(invalid(pair[0], pair[1]).endsWith("the private key (RSA) does not belong to the certificate (EC key)"),
                invalid(pair[0], pair[1]));
    }

    /** The Quarkus TLS registry reads the same files with the same Vert.x reader: what it refuses is refused here too. */
    @Test
    void ed25519KeyIsRefusedAsTheTlsRegistryWould(@TempDir Path dir) throws Exception {
        Path[] pair = pemPair(dir);
        java.security.KeyPairGenerator ed = java.security.KeyPairGenerator.getInstance("Ed25519");
        Files.writeString(pair[1], SelfSignedCertificate.pem("PRIVATE KEY", ed.generateKeyPair().getPrivate().getEncoded()));
        String message = invalid(pair[0], pair[1]);
        assertTrue(message.contains("the key file holds a PKCS#8 private key that cannot be read (damaged, or not RSA or EC)"),
                message);
    }
}
