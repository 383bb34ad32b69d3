package io.netattach.admission.tls;

import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.vertx.http.HttpsServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.security.cert.X509Certificate;
import java.util.Optional;

/** Logs which certificate HTTPS serves, where it comes from, each rotation and each rejected pair of files. */
@ApplicationScoped
public class TlsStartupReport {

    private static final Logger LOG = Logger.getLogger(TlsStartupReport.class);

    @Inject
    ServedCertificate served;

    private volatile String lastFingerprint = "";

    void started(@ObservesAsync HttpsServerStart start) {
        Optional<X509Certificate> certificate = served.current();
        lastFingerprint = certificate.map(SelfSignedCertificate::sha256Fingerprint).orElse("");
        String description = certificate.map(TlsStartupReport::describe).orElse("(no certificate found)");
        int port = start.options().getPort();
        String certFile = served.certFile().orElse("?");
        switch (served.source()) {
            case "self-signed" -> LOG.infof("HTTPS on port %d with a self-signed certificate created at startup: %s; "
                            + "files %s and %s; trust it with: curl --cacert %s https://localhost:%d/q/health/ready",
                    port, description, certFile, served.keyFile().orElse("?"), certFile, port);
            case "files" -> LOG.infof("HTTPS on port %d with the certificate from %s: %s; the files are re-read every %s",
                    port, certFile, description, served.reloadPeriod());
            default -> LOG.infof("HTTPS on port %d with the configured Quarkus TLS key store: %s", port, description);
        }
    }

    /** The swapping key manager served a new pair, or kept the served one because the files hold none. */
    void reloaded(@Observes ReloadingKeyManager.Reload reload) {
        switch (reload) {
            case ReloadingKeyManager.Reload.Rotated rotated -> {
                lastFingerprint = SelfSignedCertificate.sha256Fingerprint(rotated.current());
                LOG.infof("TLS certificate rotated: now serving %s (was SHA-256 %s)", describe(rotated.current()),
                        SelfSignedCertificate.sha256Fingerprint(rotated.previous()));
            }
            case ReloadingKeyManager.Reload.Rejected rejected when !rejected.repeated() ->
                    LOG.warnf("%s; keeping the served certificate (%s) and trying again every %s", rejected.reason(),
                            served.current().map(TlsStartupReport::describe).orElse("none"), served.reloadPeriod());
            default -> {
            }
        }
    }

    /** Quarkus' own reload (key store configured in the TLS registry): log only when the certificate really changed. */
    void registryReloaded(@Observes CertificateUpdatedEvent event) {
        Optional<X509Certificate> certificate = served.current();
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
