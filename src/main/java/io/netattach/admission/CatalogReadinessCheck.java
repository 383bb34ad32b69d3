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
 *
 * <p>Once synced, losing the API server does not make the webhook unready: NAD validation needs no
 * API server, and with {@code failurePolicy: Fail} an unready webhook would block every NAD write in
 * the cluster. The outage shows instead as {@code connected: false}, {@code connection: reconnecting}
 * and in the status text, while the informer reconnects and the last synced state keeps serving
 * injection and pod validation. Before the first watch opened, {@code connection} is
 * {@code connecting} and the status says so: nothing has been lost yet.
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
                .withData("connected", catalog.connected())
                .withData("connection", catalog.connection().label())
                .withData("nads", catalog.size())
                .withData("invalidAnnotations", catalog.invalidAnnotations())
                .build();
    }
}
