package io.netattach.validation;

import io.netattach.cni.CniVersion;
import io.netattach.cni.IpPrefix;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * static IPAM: {@code addresses[] {address, gateway}}, {@code routes[]}, {@code dns}. Upstream checks only
 * the CIDR syntax; here also host bits, gateway family and subnet, route reachability.
 */
record StaticIpamRules() implements IpamRules {

    private static final Set<String> KNOWN = Set.of("type", "addresses", "routes", "dns");

    @Override
    public Addressing check(JsonObject ipam, String path, PluginContext plugin, Findings out) {
        IpamRules.unknownKeys(ipam, path, "static", KNOWN, "type, addresses, routes, dns", out);
        boolean runtimeIps = plugin.hasCapability("ips");
        List<Addressing.Located<IpPrefix>> addresses = new ArrayList<>();
        Optional<JsonArray> list = Fields.array(ipam, "addresses", path, out);
        String addressesPath = Text.at(path, "addresses");
        if (!ipam.has("addresses") && !runtimeIps) {
            out.error(addressesPath, "addresses is missing: static IPAM then returns no address and the interface plugin "
                    + "fails with \"IPAM plugin returned missing IP config\" (or set capabilities {\"ips\": true} and request ips in the pod)");
        } else if (list.isPresent() && list.get().elements().isEmpty() && !runtimeIps) {
            out.error(addressesPath, "addresses is empty: static IPAM then returns no address and the interface plugin "
                    + "fails with \"IPAM plugin returned missing IP config\"");
        }
        boolean complete = !runtimeIps && list.isPresent();
        if (list.isPresent()) {
            JsonArray a = list.get();
            for (int i = 0; i < a.elements().size(); i++) {
                Optional<Addressing.Located<IpPrefix>> address = address(a.elements().get(i), Text.at(addressesPath, i), out);
                address.ifPresent(addresses::add);
                complete &= address.isPresent();
            }
            perFamilyLimit(addresses, addressesPath, plugin.network(), out);
        }
        boolean checkRoutes = complete;
        Fields.array(ipam, "routes", path, out).ifPresent(routes -> {
            for (Route r : Route.readAll(routes, Text.at(path, "routes"), out)) {
                if (checkRoutes) {
                    Route.crossCheck(r, addresses, true, out);
                }
            }
        });
        Dns.check(ipam, path, out);
        return new Addressing(addresses, addresses, complete);
    }

    private static Optional<Addressing.Located<IpPrefix>> address(JsonValue value, String path, Findings out) {
        if (!(value instanceof JsonObject entry)) {
            out.error(path, "addresses entries must be objects {\"address\": CIDR, \"gateway\": IP}, got " + Text.showTyped(value));
            return Optional.empty();
        }
        if (!entry.has("address")) {
            out.error(Text.at(path, "address"), "address is missing: each addresses entry needs an address in CIDR notation such as 192.168.1.10/24");
        }
        for (String key : entry.members().keySet()) {
            if (!key.equals("address") && !key.equals("gateway")) {
                out.warning(Text.at(path, key), "key " + Text.quote(key) + " is not a field of a static address and is ignored (fields: address, gateway)");
            }
        }
        Optional<IpPrefix> address = Fields.cidr(entry, "address", path, out);
        Optional<InetAddress> gateway = Fields.ip(entry, "gateway", path, out);
        if (address.isEmpty()) {
            return Optional.empty();
        }
        IpPrefix a = address.get();
        String ap = Text.at(path, "address");
        if (a.isIpv4() && a.prefixLength() < 31) {
            if (!a.hasHostBits()) {
                out.error(ap, "address " + Text.quote(a.toString()) + " is the network address of its subnet: use a host address of "
                        + a.network() + " such as " + firstHost(a));
            } else if (a.broadcast().map(b -> b.equals(a.address())).orElse(false)) {
                out.error(ap, "address " + Text.quote(a.toString()) + " is the broadcast address of " + a.network() + ": use a host address");
            }
        }
        if (gateway.isPresent()) {
            InetAddress gw = gateway.get();
            String gp = Text.at(path, "gateway");
            if (IpPrefix.bits(gw) != IpPrefix.bits(a.address())) {
                out.error(gp, "gateway " + Text.quote(IpPrefix.format(gw)) + " is " + Fields.family(gw) + " but address "
                        + Text.quote(a.toString()) + " is " + Fields.family(a));
            } else if (gw.equals(a.address())) {
                out.warning(gp, "gateway " + Text.quote(IpPrefix.format(gw)) + " is the address itself: routes via it do not leave the pod");
            } else if (!a.contains(gw)) {
                out.warning(gp, "gateway " + Text.quote(IpPrefix.format(gw)) + " is outside the subnet " + a.network()
                        + " of address " + Text.quote(a.toString()) + ": routes via it are unreachable");
            }
        }
        return Optional.of(new Addressing.Located<>(a, ap));
    }

    private static String firstHost(IpPrefix network) {
        byte[] b = network.network().address().getAddress();
        b[b.length - 1] |= 1;
        try {
            return IpPrefix.format(InetAddress.getByAddress(b)) + "/" + network.prefixLength();
        } catch (java.net.UnknownHostException e) {
            return network.toString();
        }
    }

    /** Upstream static: more than one address of a family needs cniVersion 0.3.0 or later. */
    private static void perFamilyLimit(List<Addressing.Located<IpPrefix>> addresses, String path, NetworkContext net, Findings out) {
        if (!net.olderThan(CniVersion.V0_3_0)) {
            return;
        }
        long v4 = addresses.stream().filter(a -> a.value().isIpv4()).count();
        long v6 = addresses.size() - v4;
        if (v4 > 1 || v6 > 1) {
            out.error(path, "more than one " + (v4 > 1 ? "IPv4" : "IPv6") + " address needs cniVersion 0.3.0 or later, the config has "
                    + net.version().map(v -> Text.quote(v.text())).orElse("none"));
        }
    }
}
