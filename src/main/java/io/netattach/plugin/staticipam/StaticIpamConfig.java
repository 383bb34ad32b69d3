package io.netattach.plugin.staticipam;

import io.netattach.cni.CniVersion;
import io.netattach.cni.Dns;
import io.netattach.cni.IpPrefix;
import io.netattach.cni.Route;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The effective static IPAM configuration of one request, after the overrides of CNI_ARGS,
 * {@code args.cni.ips} and {@code runtimeConfig.ips} are applied.
 */
public record StaticIpamConfig(CniVersion cniVersion, String name, List<Address> addresses, List<Route> routes,
                               Dns dns) {

    public StaticIpamConfig {
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
    }

    /** One address ({@code 192.168.100.10/24}, host bits kept) and its optional gateway. */
    public record Address(IpPrefix address, Optional<InetAddress> gateway) {
    }

}
