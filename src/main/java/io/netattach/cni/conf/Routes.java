package io.netattach.cni.conf;

import io.netattach.cni.Fields;
import io.netattach.cni.Findings;
import io.netattach.cni.IpPrefix;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.Route;
import io.netattach.cni.Text;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The route objects of plugin configs ({@code {"dst": CIDR, "gw": IP, ...}}): IPAM {@code routes} and
 * route-override {@code addroutes}/{@code delroutes}, one reader for all of them.
 */
public final class Routes {

    /** Where a route is written, which decides how its {@code dst} host bits and extensions are read. */
    public enum Use {
        /** An IPAM {@code routes} entry: handed to the kernel as written, so host bits in dst make ADD fail. */
        IPAM,
        /** A route-override {@code addroutes} entry: dst is reduced to its network; metric (alias priority), table, ... honoured. */
        ADD,
        /** A route-override {@code delroutes} entry: matched by dst network and gw. */
        DEL
    }

    private Routes() {
    }

    /** Each element of {@code routes}; elements that are not valid routes are reported and left out. */
    public static List<Route> readAll(JsonArray routes, String path, Use use, Findings out) {
        List<Route> result = new ArrayList<>();
        for (int i = 0; i < routes.elements().size(); i++) {
            read(routes.elements().get(i), Text.at(path, i), use, out).ifPresent(result::add);
        }
        return result;
    }

    /** One route object at {@code path}; empty (with an ERROR finding) when it is not a valid route. */
    public static Optional<Route> read(JsonValue value, String path, Use use, Findings out) {
        if (!(value instanceof JsonObject route)) {
            out.error(path, "route must be an object {\"dst\": CIDR, \"gw\": IP}, got " + Text.showTyped(value));
            return Optional.empty();
        }
        if (route.get("dst").filter(v -> v != JsonValue.JsonNull.INSTANCE).isEmpty()) {
            out.error(Text.at(path, "dst"), "dst is missing: a route needs a destination CIDR such as 10.0.0.0/8 (0.0.0.0/0 for a default route)");
        }
        Optional<IpPrefix> dst = Fields.cidr(route, "dst", path, out);
        Optional<InetAddress> gw = Fields.ip(route, "gw", path, out);
        Optional<Long> mtu = Fields.integer(route, "mtu", path, out, 0, 65535);
        Optional<Long> advmss = Fields.integer(route, "advmss", path, out, 0, 65535);
        Optional<Long> priority = Fields.integer(route, "priority", path, out, 0, 4294967295L);
        Optional<Long> metric = Fields.integer(route, "metric", path, out, 0, 4294967295L);
        Optional<Long> table = Fields.integer(route, "table", path, out, 0, 4294967295L);
        Optional<Long> scope = Fields.integer(route, "scope", path, out, 0, 255);
        boolean ok = dst.isPresent();
        if (use == Use.ADD && metric.isPresent() && priority.isPresent() && !metric.equals(priority)) {
            out.error(Text.at(path, "metric"), "metric " + metric.get() + " and priority " + priority.get()
                    + " differ: they are the same setting (write one of them)");
            ok = false;
        }
        if (use == Use.ADD && table.isPresent() && (table.get() == 0 || table.get() == 253 || table.get() == 255)) {
            out.error(Text.at(path, "table"), "table " + table.get() + " is reserved (0 unspecified, 253 default, 255 local): use 1..252 or 256 and above");
            ok = false;
        }
        if (dst.isEmpty()) {
            return Optional.empty();
        }
        IpPrefix d = dst.get();
        if (d.hasHostBits()) {
            if (use == Use.IPAM) {
                out.error(Text.at(path, "dst"), "dst " + Text.quote(d.toString()) + " has host bits set: the kernel refuses such a route"
                        + " (write " + d.network() + ")");
                ok = false;
            } else {
                out.warning(Text.at(path, "dst"), "dst " + Text.quote(d.toString()) + " has host bits set: the route installed is "
                        + d.network() + " (write it in canonical form)");
            }
        }
        if (gw.isPresent() && IpPrefix.bits(gw.get()) != IpPrefix.bits(d.address())) {
            out.error(Text.at(path, "gw"), "gw " + Text.quote(IpPrefix.format(gw.get())) + " is " + Fields.family(gw.get())
                    + " but dst " + Text.quote(d.toString()) + " is " + Fields.family(d) + ": a route's gw must be of the dst's family");
            return Optional.empty();
        }
        if (!ok) {
            return Optional.empty();
        }
        IpPrefix target = use == Use.IPAM ? d : d.network();
        if (use == Use.DEL) {
            return Optional.of(Route.of(target, gw.orElse(null)));
        }
        Optional<Long> effectivePriority = use == Use.ADD && priority.isEmpty() ? metric : priority;
        return Optional.of(new Route(target, gw.orElse(null), toInt(mtu), toInt(advmss), toInt(effectivePriority), toInt(table),
                toInt(scope)));
    }

    private static Integer toInt(Optional<Long> v) {
        return v.map(Long::intValue).orElse(null);
    }
}
