package io.netattach.validation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The table of known CNI plugin types and their kind. Types not listed here get a warning that only
 * the generic checks apply.
 *
 * <p>Sources: containernetworking/plugins (main: bridge, ipvlan, macvlan, ptp, vlan, host-device,
 * dummy, tap, loopback; meta: tuning, portmap, bandwidth, sbr, firewall, vrf; ipam: static,
 * host-local, dhcp), openshift/route-override-cni, k8snetworkplumbingwg (sriov-cni, ib-sriov-cni,
 * ovs-cni, bond-cni, whereabouts), ovn-kubernetes ({@code ovn-k8s-cni-overlay}) and the common cluster
 * network plugins.
 */
public final class KnownPlugins {

    private static final Map<String, PluginKind> TABLE = new LinkedHashMap<>();

    static {
        for (String t : new String[] {"macvlan", "ipvlan", "bridge", "ptp", "host-device", "vlan", "loopback",
                "dummy", "tap", "sriov", "ib-sriov", "ovs", "ovn-k8s-cni-overlay", "bond", "macvtap",
                "userspace", "ipoib", "win-bridge", "win-overlay", "flannel", "calico", "cilium-cni",
                "weave-net", "kube-ovn", "antrea", "multus", "multus-shim"}) {
            TABLE.put(t, PluginKind.INTERFACE);
        }
        for (String t : new String[] {"route-override", "tuning", "portmap", "bandwidth", "sbr", "firewall",
                "vrf", "rdma", "istio-cni"}) {
            TABLE.put(t, PluginKind.CHAINED);
        }
        for (String t : new String[] {"static", "host-local", "dhcp", "whereabouts"}) {
            TABLE.put(t, PluginKind.IPAM);
        }
    }

    private KnownPlugins() {
    }

    public static Optional<PluginKind> kindOf(String type) {
        return Optional.ofNullable(TABLE.get(type));
    }

    /** Every known type and its kind, in table order. */
    public static Map<String, PluginKind> table() {
        return Map.copyOf(TABLE);
    }
}
