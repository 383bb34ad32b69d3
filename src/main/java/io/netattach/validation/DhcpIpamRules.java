package io.netattach.validation;
import io.netattach.cni.Fields;
import io.netattach.cni.Findings;

import io.netattach.cni.JsonValue.JsonObject;

/**
 * dhcp IPAM: addresses come from a DHCP server through the dhcp daemon on the node, so the chain's
 * subnets are unknown and the reachability checks are skipped.
 */
record DhcpIpamRules() implements IpamRules {

    @Override
    public Addressing check(JsonObject ipam, String path, PluginContext plugin, Findings out) {
        Fields.array(ipam, "request", path, out);
        Fields.array(ipam, "provide", path, out);
        Fields.string(ipam, "daemonSocketPath", path, out);
        return Addressing.UNKNOWN;
    }
}
