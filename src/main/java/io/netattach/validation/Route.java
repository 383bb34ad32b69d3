package io.netattach.validation;
import io.netattach.cni.Fields;
import io.netattach.cni.Findings;
import io.netattach.cni.Text;

import io.netattach.cni.IpPrefix;
import io.netattach.cni.conf.Routes;
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

    /** One route as the plugins read it ({@link Routes}): dst reduced to its network, host bits a warning. */
    static Optional<Route> read(JsonValue value, String path, Findings out) {
        return Routes.read(value, path, Routes.Use.DEL, out)
                .map(r -> new Route(r.dst(), Optional.ofNullable(r.gw()), path));
    }

    /**
     * Cross-checks a device route (no gw) against the subnets the chain configures: a dst of a family with
     * no address on the interface. What the kernel does with the chain's routes in order (a gateway outside
     * every connected subnet, a destination taken already, a connected one included) is the network plan's
     * to report ({@code io.netattach.plan.Planner}), with the severity of what follows.
     */
    static void crossCheck(Route route, List<Addressing.Located<IpPrefix>> subnets, boolean complete, Findings out) {
        IpPrefix dst = route.dst().network();
        if (route.gw().isPresent() || !complete) {
            return;
        }
        boolean familyConfigured = subnets.stream().anyMatch(s -> s.value().isIpv4() == dst.isIpv4());
        if (!familyConfigured) {
            out.warning(Text.at(route.path(), "dst"), "dst " + Text.quote(route.dst().toString()) + " is " + Fields.family(dst)
                    + " but no " + Fields.family(dst) + " address is configured on this interface");
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
