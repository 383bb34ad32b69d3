package io.netattach.admission;

import io.netattach.admission.tls.SelfSignedCertificate;
import io.netattach.admission.tls.ServedCertificate;
import io.quarkus.vertx.http.HttpsServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

/**
 * Readiness of the admission edge: up once the HTTPS server listens (Quarkus fires
 * {@link HttpsServerStart} asynchronously right after the bind) with a certificate that has not
 * expired; reports the endpoints and the served certificate (subject, expiry, SHA-256), which also
 * shows when a rotated certificate has been picked up.
 */
@Readiness
@ApplicationScoped
public class WebhookReadiness implements HealthCheck {

    @Inject
    AdmissionRoutes routes;

    @Inject
    ServedCertificate served;

    private volatile boolean httpsStarted;

    void started(@ObservesAsync HttpsServerStart start) {
        httpsStarted = true;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("netattach-webhook")
                .withData("endpoints", String.join(" ", routes.paths()));
        Optional<X509Certificate> certificate = served.current();
        boolean up = httpsStarted && certificate.isPresent();
        if (!httpsStarted) {
            builder.withData("https", "not listening");
        }
        if (certificate.isPresent()) {
            X509Certificate c = certificate.get();
            Instant notAfter = c.getNotAfter().toInstant();
            builder.withData("certificate-subject", c.getSubjectX500Principal().getName())
                    .withData("certificate-not-after", notAfter.toString())
                    .withData("certificate-sha256", SelfSignedCertificate.sha256Fingerprint(c));
            if (notAfter.isBefore(Instant.now())) {
                builder.withData("certificate", "expired");
                up = false;
            }
        } else {
            builder.withData("certificate", "none configured");
        }
        return builder.status(up).build();
    }
}
