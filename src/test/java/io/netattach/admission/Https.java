package io.netattach.admission;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

/** Test helpers for talking to the {@code @QuarkusTest} server over real HTTPS. */
public final class Https {

    private Https() {
    }

    /** rest-assured against the HTTPS port of {@code base} (from {@code @TestHTTPResource(tls = true)}), any certificate accepted. */
    public static RequestSpecification given(URL base) {
        return RestAssured.given()
                .baseUri("https://" + base.getHost())
                .port(base.getPort())
                .relaxedHTTPSValidation();
    }

    /** The certificate the server presents in a TLS handshake on {@code port}. */
    public static X509Certificate servedCertificate(String host, int port) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll()}, null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(host, port)) {
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                return (X509Certificate) socket.getSession().getPeerCertificates()[0];
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static X509TrustManager trustAll() {
        return new X509TrustManager() {
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
        };
    }

    /** A test resource as a string. */
    public static String resource(String name) {
        try (InputStream in = Https.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
