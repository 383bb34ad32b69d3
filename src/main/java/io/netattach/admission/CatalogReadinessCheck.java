package io.netattach.admission;

import io.netattach.catalog.NadCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: DOWN until the NAD catalog has synced (informers) or been read (directory), so that the
 * API server sends no pod to {@code /mutate/pods} or {@code /validate/pods} while the webhook would
 * decide on a partial view.
 */
@Readiness
@ApplicationScoped
public class CatalogReadinessCheck implements HealthCheck {

    @Inject
    NadCatalog catalog;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("nad-catalog")
                .status(catalog.ready())
                .withData("status", catalog.status())
                .withData("nads", catalog.size())
                .withData("invalidAnnotations", catalog.invalidAnnotations())
                .build();
    }
}
