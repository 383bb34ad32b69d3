package io.netattach.security;

import io.netattach.admission.Https;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The webhook's TLS policy, against the real HTTPS server: TLS 1.3 and 1.2 with AEAD/ECDHE suites
 * are accepted; TLS 1.2 with CBC suites and TLS 1.0/1.1 are refused by the server. Production
 * disables plain HTTP.
 */
@QuarkusTest
class TlsPolicyTest {

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    /** Handshake with the given protocol and suite; returns "protocol suite" as negotiated. */
    private String handshake(String protocol, String suite) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {Https.trustAll()}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(https.getHost(), https.getPort())) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {protocol});
            if (suite != null) {
                socket.setEnabledCipherSuites(new String[] {suite});
            }
            socket.startHandshake();
            return socket.getSession().getProtocol() + " " + socket.getSession().getCipherSuite();
        }
    }

    @Test
    void tls13IsAccepted() throws Exception {
        assertEquals("TLSv1.3 TLS_AES_256_GCM_SHA384", handshake("TLSv1.3", "TLS_AES_256_GCM_SHA384"));
        assertTrue(handshake("TLSv1.3", null).startsWith("TLSv1.3 TLS_"));
    }

    @Test
    void tls12WithEcdheGcmIsAccepted() throws Exception {
        assertEquals("TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", handshake("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
        assertEquals("TLSv1.2 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                handshake("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"));
    }

    @Test
    void tls12WithCbcIsRefused() {
        // the JDK client offers these; the server must not pick them
        for (String cbc : new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"}) {
            assertThrows(SSLHandshakeException.class, () -> handshake("TLSv1.2", cbc), cbc);
        }
    }

    /** openssl s_client with every protocol and cipher allowed on the client side (SECLEVEL=0). */
    private static String opensslHandshake(int port, String protocolFlag) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, protocolFlag,
                    "-cipher", "ALL:@SECLEVEL=0", "-brief").redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("openssl not installed: " + e.getMessage());
            return "";
        }
        p.getOutputStream().close();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void tls10And11AreRefusedByTheServer() throws Exception {
        String control = opensslHandshake(https.getPort(), "-tls1_2");
        Assumptions.assumeTrue(control.contains("Protocol version: TLSv1.2"), "openssl cannot do TLS 1.2 here: " + control);
        for (String flag : new String[] {"-tls1", "-tls1_1"}) {
            String out = opensslHandshake(https.getPort(), flag);
            assertFalse(out.contains("Protocol version: TLSv1.1") || out.contains("Protocol version: TLSv1\n")
                    || out.contains("CONNECTION ESTABLISHED"), flag + ": " + out);
            // The server answers the ClientHello with a protocol_version alert (OpenSSL: "alert protocol version"),
            // or, when this OpenSSL build cannot offer the protocol at all, the client gives up before; either way no session.
            assertTrue(out.contains("alert protocol version") || out.contains("no protocols available")
                    || out.contains("handshake failure") || out.contains("unsupported protocol"), flag + ": " + out);
        }
    }

    @Test
    void productionConfigRefusesPlainHttpAndOldProtocols() throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            p.load(in);
        }
        assertEquals("disabled", p.getProperty("%prod.quarkus.http.insecure-requests"));
        assertEquals("TLSv1.3,TLSv1.2", p.getProperty("quarkus.tls.protocols"));
        assertEquals("none", p.getProperty("quarkus.http.ssl.client-auth"));
        for (String suite : p.getProperty("quarkus.tls.cipher-suites").split(",")) {
            String s = suite.strip();
            assertTrue(s.startsWith("TLS_AES_") || s.startsWith("TLS_CHACHA20_") || s.startsWith("TLS_ECDHE_"), s);
            assertTrue(s.contains("_GCM_") || s.contains("CHACHA20_POLY1305"), s);
        }
    }
}
