package io.netattach.admission;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.Optional;
import java.util.function.Supplier;

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

    /**
     * A watch on the source: an informer (not started) whose events call {@code changed} when what the
     * source gives may have changed, and what its cache says. Null when the source is only re-read
     * every refresh period.
     */
    default Watch watch(KubernetesClient client, Runnable changed) {
        return null;
    }

    /**
     * Whether to watch the source even when a read found nothing (Nodes exist in every cluster and
     * gain pod CIDRs later; an OpenShift Network that is absent is absent for good).
     */
    default boolean watchWhenAbsent() {
        return false;
    }

    /**
     * @param informer the informer, not started
     * @param cached   what the source gives according to the informer's cache (same contract as
     *                 {@link #read}: empty when not found, {@link IllegalArgumentException} when malformed)
     */
    record Watch(SharedIndexInformer<?> informer, Supplier<Optional<ClusterNetworkSource.Contribution>> cached) {
    }
}
