package io.netattach.plan;

import io.netattach.cni.IpPrefix;

import java.util.List;
import java.util.Optional;

/**
 * One secondary interface of the pod as the plugins will leave it.
 *
 * @param name        interface name in the pod (requested, or Multus' {@code net<N>})
 * @param element     index of the networks annotation element that attaches it
 * @param network     the NAD, {@code namespace/name}
 * @param type        the plugin that creates the interface ({@code macvlan}, ...)
 * @param master      macvlan master on the node, empty when not known (the default route's interface)
 * @param vlan        802.1Q VLAN of the master, empty when none
 * @param mac         MAC address when fixed by the config or the annotation, else empty (random)
 * @param mtu         MTU when set by the config, else 0 (the master's)
 * @param addresses   the addresses it gets, known in advance (static IPAM), in order
 * @param addressing  how addresses are assigned: {@code static}, {@code none} (L2 only), or the IPAM
 *                    type whose choice cannot be predicted ({@code host-local}, {@code whereabouts}, {@code dhcp}, ...)
 * @param subnets     for unpredictable IPAM: the subnets of its configuration (the address will be in one)
 */
public record PlannedInterface(String name, int element, String network, String type, String master,
                               Optional<Integer> vlan, Optional<String> mac, int mtu, List<IpPrefix> addresses,
                               String addressing, List<IpPrefix> subnets) {

    public PlannedInterface {
        addresses = List.copyOf(addresses);
        subnets = List.copyOf(subnets);
    }

    /** Whether the addresses are known before the pod starts. */
    public boolean predictable() {
        return addressing.equals("static") || addressing.equals("none");
    }
}
