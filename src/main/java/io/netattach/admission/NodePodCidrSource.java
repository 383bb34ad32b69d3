package io.netattach.admission;

import io.netattach.catalog.TrimmingItemStore;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.netattach.cni.IpPrefix;
import io.netattach.plan.ClusterNetworks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The union of every Node's {@code spec.podCIDRs} (or {@code spec.podCIDR}): pod networks. RBAC:
 * {@code list} and {@code watch} on nodes. Watched: a Node added, removed or given a pod CIDR is seen
 * within seconds (Node status updates, which change no pod CIDR, are ignored).
 */
final class NodePodCidrSource implements ClusterDiscoverySource {

    static final String NAME = "node-pod-cidrs";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<ClusterNetworkSource.Contribution> read(KubernetesClient client) {
        return parse(client.nodes().list().getItems());
    }

    @Override
    public Watch watch(KubernetesClient client, Runnable changed) {
        SharedIndexInformer<Node> informer = client.nodes().runnableInformer(0);
        informer.itemStore(new TrimmingItemStore<>(NodePodCidrSource::podCidrsOnly)); // a Node with its status is kilobytes; keep what is needed
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
                changed.run();
            }

            @Override
            public void onUpdate(Node before, Node after) {
                if (!Objects.equals(cidrs(before), cidrs(after))) {
                    changed.run();
                }
            }

            @Override
            public void onDelete(Node node, boolean finalStateUnknown) {
                changed.run();
            }
        });
        return new Watch(informer, () -> parse(informer.getStore().list()));
    }

    /**
     * A Node as the watch's cache keeps it: name, uid, resourceVersion and pod CIDRs (a large cluster's
     * Nodes with their status, images and conditions, would take megabytes of the webhook's memory).
     */
    static Node podCidrsOnly(Node node) {
        if (node == null) {
            return null;
        }
        Node kept = new Node();
        if (node.getMetadata() != null) {
            ObjectMeta meta = new ObjectMeta();
            meta.setName(node.getMetadata().getName());
            meta.setUid(node.getMetadata().getUid());
            meta.setResourceVersion(node.getMetadata().getResourceVersion());
            kept.setMetadata(meta);
        }
        if (node.getSpec() != null) {
            NodeSpec spec = new NodeSpec();
            spec.setPodCIDR(node.getSpec().getPodCIDR());
            spec.setPodCIDRs(node.getSpec().getPodCIDRs());
            kept.setSpec(spec);
        }
        return kept;
    }

    @Override
    public boolean watchWhenAbsent() {
        return true;
    }

    private static List<String> cidrs(Node node) {
        if (node == null || node.getSpec() == null) {
            return List.of();
        }
        List<String> cidrs = node.getSpec().getPodCIDRs();
        if ((cidrs == null || cidrs.isEmpty()) && node.getSpec().getPodCIDR() != null) {
            return List.of(node.getSpec().getPodCIDR());
        }
        return cidrs == null ? List.of() : cidrs;
    }

    /** Empty when no Node has a pod CIDR; throws {@link IllegalArgumentException} on a bad CIDR. */
    static Optional<ClusterNetworkSource.Contribution> parse(List<Node> nodes) {
        Set<IpPrefix> union = new LinkedHashSet<>();
        for (Node node : nodes) {
            for (String cidr : cidrs(node)) {
                union.addAll(ClusterNetworks.parseList(cidr, "Node " + node.getMetadata().getName() + " spec.podCIDRs"));
            }
        }
        if (union.isEmpty()) {
            return Optional.empty();
        }
        List<IpPrefix> sorted = new ArrayList<>(union);
        sorted.sort(Comparator.comparing(IpPrefix::toString));
        return Optional.of(new ClusterNetworkSource.Contribution(sorted, List.of()));
    }
}
