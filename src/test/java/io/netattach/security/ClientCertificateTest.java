package io.netattach.security;

import io.netattach.admission.Https;
import io.netattach.admission.tls.SelfSignedCertificate;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Optional client-certificate verification of the API server (off by default): with
 * {@code quarkus.http.ssl.client-auth=required} and a trust store naming the API server's client CA,
 * only a client presenting a certificate from that CA gets an answer.
 */
@QuarkusTest
@TestProfile(ClientCertificateTest.RequireClientCertificate.class)
class ClientCertificateTest {

    static final SelfSignedCertificate API_SERVER = SelfSignedCertificate.generate("kube-apiserver-webhook-client",
            List.of(), List.of(), Duration.ofDays(1));
    static final SelfSignedCertificate STRANGER = SelfSignedCertificate.generate("someone-else", List.of(), List.of(), Duration.ofDays(1));

    public static class RequireClientCertificate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createTempDirectory("netattach-client-ca-");
                dir.toFile().deleteOnExit();
                Path cert = dir.resolve("ca.crt");
                API_SERVER.writePem(cert, dir.resolve("client.key"));
                cert.toFile().deleteOnExit();
                dir.resolve("client.key").toFile().deleteOnExit();
                return Map.of("quarkus.http.ssl.client-auth", "required",
                        "quarkus.tls.trust-store.pem.certs", cert.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    /** A review POST over a raw TLS socket presenting {@code client} (or no certificate); returns the status line. */
    private String post(SelfSignedCertificate client) throws Exception {
        KeyManagerFactory kmf = null;
        if (client != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", client.privateKey(), new char[0], new Certificate[] {client.certificate()});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), new TrustManager[] {Https.trustAll()}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(https.getHost(), https.getPort())) {
            socket.setSoTimeout(10_000);
            byte[] body = Files.readAllBytes(Path.of("src/test/resources/admission/reviews/nad-create-management-net.json"));
            String head = "POST /validate/network-attachment-definitions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return response.lines().findFirst().orElse("");
        }
    }

    @Test
    void apiServerCertificateIsAnswered() throws Exception {
        String status = post(API_SERVER);
        assertTrue(status.startsWith("HTTP/1.1 200"), status);
    }

    @Test
    void noCertificateOrAForeignOneGetsNoAnswer() {
        // TLS 1.3 reports the refused client certificate after the handshake, on the first read or write
        assertThrows(IOException.class, () -> post(null));
        assertThrows(IOException.class, () -> post(STRANGER));
    }
}
