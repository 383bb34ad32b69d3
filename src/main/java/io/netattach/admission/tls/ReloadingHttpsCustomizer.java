package io.netattach.admission.tls;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import javax.net.ssl.KeyManagerFactory;
import java.util.function.Function;

/**
 * Serves the HTTPS certificate through the {@link ReloadingKeyManager} when there is one: the key
 * material the TLS registry put into the HTTPS options is replaced by the swapping key manager, and
 * everything else the registry set (protocols, cipher suites, trust store, client authentication)
 * stays. The registry does not reload this configuration ({@link TlsBootstrap} switches its reload off),
 * so Vert.x never rebuilds the server's SSL context on a rotation.
 */
@Singleton
public class ReloadingHttpsCustomizer implements HttpServerOptionsCustomizer {

    @Inject
    ServedCertificate served;

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        served.keyManager().ifPresent(keyManager -> options.setKeyCertOptions(new Options(keyManager)));
    }

    /**
     * Key options always answering with the one swapping key manager (also for SNI lookups, through
     * {@link #keyManagerFactoryMapper}; Vert.x 4.5 no longer calls the deprecated keyManagerMapper).
     */
    record Options(KeyManagerFactory factory) implements KeyCertOptions {

        Options(ReloadingKeyManager keyManager) {
            this(factory(keyManager));
        }

        private static KeyManagerFactory factory(ReloadingKeyManager keyManager) {
            try {
                return KeyCertOptions.wrap(keyManager).getKeyManagerFactory(null);
            } catch (Exception e) {
                throw new IllegalStateException("cannot wrap the TLS key manager: " + e.getMessage(), e);
            }
        }

        @Override
        public KeyCertOptions copy() {
            return this; // immutable
        }

        @Override
        public KeyManagerFactory getKeyManagerFactory(Vertx vertx) {
            return factory;
        }

        @Override
        public Function<String, KeyManagerFactory> keyManagerFactoryMapper(Vertx vertx) {
            return serverName -> factory;
        }
    }
}
