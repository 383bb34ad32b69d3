package io.netattach.admission;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness data: the configured networks and every discovery source (OpenShift Network,
 * kubeadm-config, Node podCIDRs) with its state ({@code found: ...}, {@code not found},
 * {@code malformed: ...}, {@code unreachable: ...}, {@code not read yet}), and which are watched. Always UP: every source is optional; without
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
        if (found.containsKey("configuration")) {
            b.withData("configuration", found.get("configuration"));
        }
        source.states().forEach(b::withData); // every discovery source with its state, found or not
        var watched = source.watched();
        if (!source.states().isEmpty()) {
            b.withData("watched", watched.isEmpty() ? "none (every source re-read each netattach.cluster.refresh-period)"
                    : String.join(", ", watched));
        }
        b.withData("routePolicy", source.current().routePolicy().name().toLowerCase(java.util.Locale.ROOT));
        return b.build();
    }
}
