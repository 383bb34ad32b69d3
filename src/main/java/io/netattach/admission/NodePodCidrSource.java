package io.netattach.admission;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netattach.cni.IpPrefix;
import io.netattach.plan.ClusterNetworks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The union of every Node's {@code spec.podCIDRs} (or {@code spec.podCIDR}): pod networks. RBAC:
 * {@code list} on nodes.
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

    /** Empty when no Node has a pod CIDR; throws {@link IllegalArgumentException} on a bad CIDR. */
    static Optional<ClusterNetworkSource.Contribution> parse(List<Node> nodes) {
        Set<IpPrefix> union = new LinkedHashSet<>();
        for (Node node : nodes) {
            if (node.getSpec() == null) {
                continue;
            }
            List<String> cidrs = node.getSpec().getPodCIDRs();
            if ((cidrs == null || cidrs.isEmpty()) && node.getSpec().getPodCIDR() != null) {
                cidrs = List.of(node.getSpec().getPodCIDR());
            }
            if (cidrs != null) {
                for (String cidr : cidrs) {
                    union.addAll(ClusterNetworks.parseList(cidr, "Node " + node.getMetadata().getName() + " spec.podCIDRs"));
                }
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
