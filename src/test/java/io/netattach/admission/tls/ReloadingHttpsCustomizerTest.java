package io.netattach.admission.tls;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReloadingHttpsCustomizerTest {

    /** The served certificate's fingerprint through the factory's first key manager, as Vert.x's SSL context sees it. */
    private static String served(KeyManagerFactory factory) {
        X509KeyManager km = (X509KeyManager) factory.getKeyManagers()[0];
        return SelfSignedCertificate.sha256Fingerprint(km.getCertificateChain(km.chooseServerAlias("EC", null, null))[0]);
    }

    @Test
    void httpsOptionsServeTheSwappingKeyManagerForEveryServerNameAndFollowRotations(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        SelfSignedCertificate first = SelfSignedCertificate.generate("first", List.of("localhost"), List.of(), Duration.ofDays(1));
        first.writePem(cert, key);
        ReloadingKeyManager keyManager = new ReloadingKeyManager(cert, key);

        ReloadingHttpsCustomizer customizer = new ReloadingHttpsCustomizer();
        customizer.served = new ServedCertificate() {
            @Override
            public Optional<ReloadingKeyManager> keyManager() {
                return Optional.of(keyManager);
            }
        };
        HttpServerOptions options = new HttpServerOptions().setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()))
                .setSni(true);
        customizer.customizeHttpsServer(options);

        var keyCert = assertInstanceOf(ReloadingHttpsCustomizer.Options.class, options.getKeyCertOptions());
        assertSame(keyCert, keyCert.copy(), "immutable: Vert.x copies the options");
        KeyManagerFactory factory = keyCert.getKeyManagerFactory(null);
        assertEquals(first.sha256Fingerprint(), served(factory));
        // SNI: every server name gets the same pair (the API server asks for the Service's DNS name)
        for (String name : new String[] {"netattach-webhook.netattach-system.svc", "localhost", "other.example"}) {
            assertSame(factory, keyCert.keyManagerFactoryMapper(null).apply(name), name);
        }

        SelfSignedCertificate second = SelfSignedCertificate.generate("second", List.of("localhost"), List.of(), Duration.ofDays(1));
        second.writePem(cert, key);
        assertInstanceOf(ReloadingKeyManager.Reload.Rotated.class, keyManager.reload());
        assertEquals(second.sha256Fingerprint(), served(factory), "the same factory serves the rotated pair");
        assertTrue(options.isSni(), "the registry's other settings stay");
    }
}
