package io.netattach.admission.tls;

import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Optional;

/** The certificate the default TLS configuration currently holds (after any reload). */
public final class ServedCertificate {

    private ServedCertificate() {
    }

    public static Optional<X509Certificate> current(TlsConfigurationRegistry registry) {
        Optional<TlsConfiguration> tls = registry.getDefault();
        if (tls.isEmpty() || tls.get().getKeyStore() == null) {
            return Optional.empty();
        }
        KeyStore keyStore = tls.get().getKeyStore();
        try {
            for (String alias : Collections.list(keyStore.aliases())) {
                Certificate certificate = keyStore.getCertificate(alias);
                if (certificate instanceof X509Certificate x509) {
                    return Optional.of(x509);
                }
            }
        } catch (KeyStoreException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
