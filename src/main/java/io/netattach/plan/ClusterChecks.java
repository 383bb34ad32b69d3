package io.netattach.plan;

import io.netattach.cni.IpPrefix;

/** The messages of the checks against the cluster's networks, one wording for pods and NADs. */
public final class ClusterChecks {

    private ClusterChecks() {
    }

    static String addressMessage(ClusterNetworks.Named n, IpPrefix addr, String what, String who) {
        return "secondary " + what + " " + addr + " of " + who + " is inside the cluster's " + n
                + ": traffic to those pods or services would go out " + (what.equals("address") ? "of" : "through")
                + " the secondary interface instead; choose a range outside the cluster networks";
    }

    static String coverMessage(ClusterNetworks.Named n, String route, String who, ClusterNetworks.RoutePolicy policy) {
        boolean dflt = route.startsWith("default");
        return (dflt ? "default route " + route + " on a secondary interface" : "route " + route) + " of " + who
                + " covers the cluster's " + n + ": it works only while the primary interface (eth0) has a more"
                + " specific route to " + n.prefix() + " (OVN-Kubernetes and OpenShift SDN add one); with a cluster"
                + " network plugin that routes the " + n.kind() + " through eth0's default route, that traffic leaves"
                + " through the secondary interface and breaks"
                + (policy == ClusterNetworks.RoutePolicy.DENY ? " (netattach.cluster.route-policy=deny)" : "");
    }
}
