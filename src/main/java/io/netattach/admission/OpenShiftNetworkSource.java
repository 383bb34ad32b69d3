package io.netattach.admission;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.netattach.cni.IpPrefix;
import io.netattach.plan.ClusterNetworks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenShift's {@code config.openshift.io/v1} {@code Network} {@code cluster}:
 * {@code status.clusterNetwork[].cidr} are pod networks, {@code status.serviceNetwork[]} service
 * networks. Read as a generic resource (no OpenShift client). RBAC: {@code get} on
 * {@code networks.config.openshift.io}.
 */
final class OpenShiftNetworkSource implements ClusterDiscoverySource {

    static final String NAME = "openshift-network";

    static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup("config.openshift.io")
            .withVersion("v1")
            .withKind("Network")
            .withPlural("networks")
            .withNamespaced(false)
            .build();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<ClusterNetworkSource.Contribution> read(KubernetesClient client) {
        GenericKubernetesResource network = client.genericKubernetesResources(CONTEXT).withName("cluster").get();
        return network == null ? Optional.empty() : Optional.of(parse(network.getAdditionalProperties().get("status")));
    }

    /** From the Network's {@code status}; throws {@link IllegalArgumentException} on a bad CIDR. */
    static ClusterNetworkSource.Contribution parse(Object status) {
        List<IpPrefix> pods = new ArrayList<>();
        List<IpPrefix> services = new ArrayList<>();
        if (status instanceof Map<?, ?> s) {
            if (s.get("clusterNetwork") instanceof List<?> entries) {
                for (Object e : entries) {
                    if (e instanceof Map<?, ?> m && m.get("cidr") instanceof String cidr) {
                        pods.addAll(ClusterNetworks.parseList(cidr, "status.clusterNetwork[].cidr"));
                    }
                }
            }
            if (s.get("serviceNetwork") instanceof List<?> entries) {
                for (Object e : entries) {
                    if (e instanceof String cidr) {
                        services.addAll(ClusterNetworks.parseList(cidr, "status.serviceNetwork[]"));
                    }
                }
            }
        }
        return new ClusterNetworkSource.Contribution(pods, services);
    }
}
