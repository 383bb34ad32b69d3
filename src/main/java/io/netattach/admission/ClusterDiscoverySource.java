package io.netattach.admission;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Optional;

/**
 * One optional source of the cluster's networks ({@link ClusterNetworkDiscovery}). Each reads with
 * the least it can: see {@code deploy/base/rbac.yaml}.
 */
interface ClusterDiscoverySource {

    /** Name shown in readiness and logs, e.g. {@code openshift-network}. */
    String name();

    /**
     * What the source says now; empty when it does not exist in this cluster (404, CRD missing).
     * A 403 (forbidden) or 401 from the API server is treated as "not found" by the caller; an
     * {@link IllegalArgumentException} means the source exists but is malformed.
     */
    Optional<ClusterNetworkSource.Contribution> read(KubernetesClient client);
}
