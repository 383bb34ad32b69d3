package io.netattach.validation;

import io.netattach.cni.IpPrefix;

import java.util.List;

/**
 * What one plugin's IPAM section configures, as far as the validator can tell from the config.
 *
 * @param addresses fixed addresses (static IPAM), each with the path of its {@code address} field
 * @param subnets   connected subnets: the networks of the addresses, and host-local / whereabouts ranges
 * @param known     false when addresses come from elsewhere (dhcp, an unknown IPAM type, runtime {@code ips}):
 *                  checks that need the full set of subnets are then skipped
 */
record Addressing(List<Located<IpPrefix>> addresses, List<Located<IpPrefix>> subnets, boolean known) {

    static final Addressing NONE = new Addressing(List.of(), List.of(), true);
    static final Addressing UNKNOWN = new Addressing(List.of(), List.of(), false);

    Addressing {
        addresses = List.copyOf(addresses);
        subnets = List.copyOf(subnets);
    }

    /** A value and the JSON Pointer it came from. */
    record Located<T>(T value, String path) {
    }
}
