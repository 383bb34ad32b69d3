package io.netattach.admission.tls;

import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.quarkus.vertx.http.HttpsServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.security.cert.X509Certificate;
import java.util.Optional;

/** Logs which certificate HTTPS serves, where it comes from, and each reload. */
@ApplicationScoped
public class TlsStartupReport {

    private static final Logger LOG = Logger.getLogger(TlsStartupReport.class);

    @Inject
    TlsConfigurationRegistry registry;

    @ConfigProperty(name = TlsBootstrap.SOURCE_PROPERTY, defaultValue = "quarkus")
    String source;

    @ConfigProperty(name = TlsBootstrap.QUARKUS_CERT)
    Optional<String> certFile;

    private volatile String lastFingerprint = "";

    void started(@ObservesAsync HttpsServerStart start) {
        Optional<X509Certificate> certificate = ServedCertificate.current(registry);
        lastFingerprint = certificate.map(SelfSignedCertificate::sha256Fingerprint).orElse("");
        String description = certificate.map(TlsStartupReport::describe).orElse("(no certificate found)");
        switch (source) {
            case "self-signed" -> LOG.infof("HTTPS on port %d with a self-signed certificate created at startup: %s; "
                            + "files %s and %s; trust it with: curl --cacert %s https://localhost:%d/q/health/ready",
                    start.options().getPort(), description, certFile.orElse("?"),
                    System.getProperty(TlsBootstrap.QUARKUS_KEY, "?"), certFile.orElse("?"), start.options().getPort());
            case "files" -> LOG.infof("HTTPS on port %d with the certificate from %s: %s", start.options().getPort(),
                    certFile.orElse("?"), description);
            default -> LOG.infof("HTTPS on port %d with the configured Quarkus TLS key store: %s",
                    start.options().getPort(), description);
        }
    }

    /** The registry re-reads the files every reload period; log only when the certificate really changed. */
    void reloaded(@Observes CertificateUpdatedEvent event) {
        Optional<X509Certificate> certificate = ServedCertificate.current(registry);
        String fingerprint = certificate.map(SelfSignedCertificate::sha256Fingerprint).orElse("");
        if (lastFingerprint.isEmpty()) { // a reload before the start report: nothing rotated yet
            lastFingerprint = fingerprint;
        } else if (!fingerprint.equals(lastFingerprint)) {
            lastFingerprint = fingerprint;
            LOG.infof("TLS certificate rotated (configuration \"%s\"): now serving %s", event.name(),
                    certificate.map(TlsStartupReport::describe).orElse("(no certificate found)"));
        }
    }

    static String describe(X509Certificate certificate) {
        return "subject \"" + certificate.getSubjectX500Principal().getName() + "\", valid until "
                + certificate.getNotAfter().toInstant() + ", SHA-256 " + SelfSignedCertificate.sha256Fingerprint(certificate);
    }
}
