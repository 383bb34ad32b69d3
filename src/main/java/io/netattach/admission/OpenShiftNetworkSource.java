package io.netattach.admission;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.netattach.cni.IpPrefix;
import io.netattach.plan.ClusterNetworks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenShift's {@code config.openshift.io/v1} {@code Network} {@code cluster}:
 * {@code status.clusterNetwork[].cidr} are pod networks, {@code status.serviceNetwork[]} service
 * networks. Read as a generic resource (no OpenShift client). RBAC: {@code get}, {@code list} and
 * {@code watch} on {@code networks.config.openshift.io}. Watched (by name) once found, so a change of
 * the cluster's networks reaches admission within seconds.
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

    @Override
    public Watch watch(KubernetesClient client, Runnable changed) {
        SharedIndexInformer<GenericKubernetesResource> informer =
                client.genericKubernetesResources(CONTEXT).withName("cluster").runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource r) {
                changed.run();
            }

            @Override
            public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
                changed.run();
            }

            @Override
            public void onDelete(GenericKubernetesResource r, boolean finalStateUnknown) {
                changed.run();
            }
        });
        return new Watch(informer, () -> informer.getStore().list().stream()
                .filter(r -> r.getMetadata() != null && "cluster".equals(r.getMetadata().getName()))
                .findFirst().map(r -> parse(r.getAdditionalProperties().get("status"))));
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
