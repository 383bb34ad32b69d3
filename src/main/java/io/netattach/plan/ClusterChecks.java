package io.netattach.plan;

import io.netattach.cni.IpPrefix;

import java.util.List;
import java.util.stream.Collectors;

/** The messages of the checks against the cluster's networks, one wording for pods and NADs. */
public final class ClusterChecks {

    private ClusterChecks() {
    }

    static String addressMessage(ClusterNetworks.Named n, IpPrefix addr, String what, String who) {
        boolean address = what.equals("address");
        return "secondary " + what + " " + addr + " of " + who + (address ? " is inside" : " overlaps")
                + " the cluster's " + n + ": traffic to those " + (n.kind().startsWith("pod") ? "pods"
                : n.kind().startsWith("service") ? "services" : "addresses")
                + " would leave through the secondary interface; choose a range outside the cluster networks";
    }

    /**
     * A route on a secondary interface that covers cluster networks: what keeps it working and when it breaks.
     */
    static String coverMessage(List<ClusterNetworks.Named> covered, PlannedRoute route, String who,
                               ClusterNetworks.RoutePolicy policy) {
        String networks = covered.stream().map(ClusterNetworks.Named::toString).collect(Collectors.joining(" and "));
        String prefixes = covered.stream().map(n -> n.prefix().toString()).collect(Collectors.joining(" and "));
        String head = route.isDefault()
                ? "default route" + (route.gateway() == null ? "" : " via " + IpPrefix.format(route.gateway()))
                + " on secondary interface " + route.dev()
                : "route " + route.dst() + (route.gateway() == null ? "" : " via " + IpPrefix.format(route.gateway()));
        return head + " covers the cluster's " + networks + " [" + who + "]: it works only while eth0 has more"
                + " specific routes to " + prefixes + " (OVN-Kubernetes adds them); with a cluster network plugin"
                + " that reaches them through eth0's default route, that traffic leaves through " + route.dev()
                + " and breaks"
                + (policy == ClusterNetworks.RoutePolicy.DENY ? " (netattach.cluster.route-policy=deny)" : "");
    }
}
