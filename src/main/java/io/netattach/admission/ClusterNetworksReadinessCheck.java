package io.netattach.admission;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness data: which cluster network sources were found (configuration, OpenShift Network,
 * kubeadm-config, Node podCIDRs) and what each gave. Always UP: every source is optional; without
 * any, NADs and pods are simply not checked against the cluster's networks.
 */
@Readiness
@ApplicationScoped
public class ClusterNetworksReadinessCheck implements HealthCheck {

    @Inject
    ClusterNetworkSource source;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("cluster-networks").up();
        var found = source.describe();
        b.withData("sources", found.isEmpty() ? "none (no check against the cluster's networks)"
                : String.join("; ", found.keySet()));
        found.forEach(b::withData);
        source.notFound().forEach(b::withData);
        b.withData("routePolicy", source.current().routePolicy().name().toLowerCase(java.util.Locale.ROOT));
        return b.build();
    }
}
