package io.netattach.validation;

import io.netattach.cni.IpPrefix;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A route of a CNI config ({@code {"dst": CIDR, "gw": IP}}) as in IPAM {@code routes} and route-override
 * {@code addroutes}/{@code delroutes}, with the checks every route gets.
 *
 * @param dst  the destination as written (host bits kept)
 * @param gw   the next hop, if any
 * @param path JSON Pointer of the route object
 */
record Route(IpPrefix dst, Optional<InetAddress> gw, String path) {

    /** Reads an array of routes; elements that are not valid routes are reported and left out. */
    static List<Route> readAll(JsonArray routes, String path, Findings out) {
        List<Route> result = new ArrayList<>();
        for (int i = 0; i < routes.elements().size(); i++) {
            read(routes.elements().get(i), Text.at(path, i), out).ifPresent(result::add);
        }
        return result;
    }

    static Optional<Route> read(JsonValue value, String path, Findings out) {
        if (!(value instanceof JsonObject route)) {
            out.error(path, "route must be an object {\"dst\": CIDR, \"gw\": IP}, got " + Text.showTyped(value));
            return Optional.empty();
        }
        if (!route.has("dst")) {
            out.error(Text.at(path, "dst"), "dst is missing: a route needs a destination CIDR such as 10.0.0.0/8 (0.0.0.0/0 for a default route)");
        }
        Optional<IpPrefix> dst = Fields.cidr(route, "dst", path, out);
        Optional<InetAddress> gw = Fields.ip(route, "gw", path, out);
        Fields.integer(route, "mtu", path, out, 0, 65535);
        Fields.integer(route, "advmss", path, out, 0, 65535);
        Fields.integer(route, "priority", path, out, 0, 4294967295L);
        Fields.integer(route, "metric", path, out, 0, 4294967295L);
        Fields.integer(route, "table", path, out, 0, 4294967295L);
        Fields.integer(route, "scope", path, out, 0, 255);
        if (dst.isEmpty()) {
            return Optional.empty();
        }
        IpPrefix d = dst.get();
        if (d.hasHostBits()) {
            out.warning(Text.at(path, "dst"), "dst " + Text.quote(d.toString()) + " has host bits set: the route installed is "
                    + d.network() + " (write it in canonical form)");
        }
        if (gw.isPresent() && IpPrefix.bits(gw.get()) != IpPrefix.bits(d.address())) {
            out.error(Text.at(path, "gw"), "gw " + Text.quote(IpPrefix.format(gw.get())) + " is " + Fields.family(gw.get())
                    + " but dst " + Text.quote(d.toString()) + " is " + Fields.family(d) + ": a route's gw must be of the dst's family");
            return Optional.of(new Route(d, Optional.empty(), path));
        }
        return Optional.of(new Route(d, gw, path));
    }

    /**
     * Cross-checks a route against the subnets the chain configures: a gw outside every subnet, a dst of a
     * family with no address, a dst that duplicates a connected subnet.
     */
    static void crossCheck(Route route, List<Addressing.Located<IpPrefix>> subnets, boolean complete, Findings out) {
        IpPrefix dst = route.dst().network();
        boolean familyConfigured = subnets.stream().anyMatch(s -> s.value().isIpv4() == dst.isIpv4());
        if (!familyConfigured) {
            if (complete) {
                out.warning(Text.at(route.path(), "dst"), "dst " + Text.quote(route.dst().toString()) + " is " + Fields.family(dst)
                        + " but no " + Fields.family(dst) + " address is configured on this interface");
            }
        } else {
            for (Addressing.Located<IpPrefix> s : subnets) {
                IpPrefix connected = s.value().network();
                if (connected.equals(dst)) {
                    out.warning(Text.at(route.path(), "dst"), "dst " + Text.quote(route.dst().toString())
                            + " duplicates the connected subnet of " + s.value()
                            + " (the kernel already has this route; adding it again fails with \"file exists\")");
                    break;
                }
            }
        }
        if (route.gw().isPresent() && complete && familyConfigured) {
            InetAddress gw = route.gw().get();
            boolean reachable = subnets.stream().anyMatch(s -> s.value().network().contains(gw));
            if (!reachable) {
                out.warning(Text.at(route.path(), "gw"), "gw " + Text.quote(IpPrefix.format(gw))
                        + " is not inside any configured subnet (" + describe(subnets)
                        + "): the kernel rejects a route via an unreachable gateway");
            }
        }
    }

    static String describe(List<Addressing.Located<IpPrefix>> subnets) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (Addressing.Located<IpPrefix> s : subnets) {
            if (shown == 4) {
                sb.append(", ...");
                break;
            }
            if (shown > 0) {
                sb.append(", ");
            }
            sb.append(s.value().network());
            shown++;
        }
        return sb.toString();
    }
}
