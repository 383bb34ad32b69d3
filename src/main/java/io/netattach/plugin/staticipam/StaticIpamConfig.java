package io.netattach.plugin.staticipam;

import io.netattach.cni.CniVersion;
import io.netattach.cni.IpPrefix;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The effective static IPAM configuration of one request, after the overrides of CNI_ARGS,
 * {@code args.cni.ips} and {@code runtimeConfig.ips} are applied.
 */
public record StaticIpamConfig(CniVersion cniVersion, String name, List<Address> addresses, List<Route> routes,
                               Optional<Dns> dns) {

    public StaticIpamConfig {
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
    }

    /** One address ({@code 192.168.100.10/24}, host bits kept) and its optional gateway. */
    public record Address(IpPrefix address, Optional<InetAddress> gateway) {
    }

    /** A route as in the CNI result: dst, gw and the 1.1.0 attributes. */
    public record Route(IpPrefix dst, Optional<InetAddress> gw, OptionalInt mtu, OptionalInt advmss,
                        OptionalLong priority, OptionalLong table, OptionalInt scope) {
        public static Route of(IpPrefix dst, InetAddress gw) {
            return new Route(dst, Optional.ofNullable(gw), OptionalInt.empty(), OptionalInt.empty(),
                    OptionalLong.empty(), OptionalLong.empty(), OptionalInt.empty());
        }
    }

    /** DNS settings passed through to the result. */
    public record Dns(List<String> nameservers, Optional<String> domain, List<String> search, List<String> options) {
        public Dns {
            nameservers = List.copyOf(nameservers);
            search = List.copyOf(search);
            options = List.copyOf(options);
        }

        public boolean isEmpty() {
            return nameservers.isEmpty() && domain.isEmpty() && search.isEmpty() && options.isEmpty();
        }
    }
}
