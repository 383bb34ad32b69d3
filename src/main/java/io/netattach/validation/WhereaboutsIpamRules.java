package io.netattach.validation;
import io.netattach.cni.Fields;
import io.netattach.cni.Findings;
import io.netattach.cni.Text;

import io.netattach.cni.IpPrefix;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * whereabouts IPAM (cluster-wide allocation): {@code range} (CIDR; host bits allowed, they mark the start)
 * or {@code ipRanges[] {range, range_start, range_end, exclude}}, {@code range_start}, {@code range_end},
 * {@code exclude[]} (CIDRs), {@code gateway}, {@code routes}. Its many datastore keys are not checked.
 */
record WhereaboutsIpamRules() implements IpamRules {

    @Override
    public Addressing check(JsonObject ipam, String path, PluginContext plugin, Findings out) {
        List<Addressing.Located<IpPrefix>> subnets = new ArrayList<>();
        boolean complete = true;
        if (ipam.has("range")) {
            Optional<IpPrefix> r = range(ipam, path, out);
            r.ifPresent(p -> subnets.add(new Addressing.Located<>(p, Text.at(path, "range"))));
            complete &= r.isPresent();
        }
        Optional<JsonArray> ipRanges = Fields.array(ipam, "ipRanges", path, out);
        if (ipRanges.isPresent()) {
            String rp = Text.at(path, "ipRanges");
            for (int i = 0; i < ipRanges.get().elements().size(); i++) {
                JsonValue v = ipRanges.get().elements().get(i);
                String p = Text.at(rp, i);
                if (!(v instanceof JsonObject r)) {
                    out.error(p, "ipRanges entries must be objects {\"range\": CIDR}, got " + Text.showTyped(v));
                    complete = false;
                    continue;
                }
                if (!r.has("range")) {
                    out.error(Text.at(p, "range"), "range is missing: each ipRanges entry needs a range in CIDR notation");
                    complete = false;
                    continue;
                }
                Optional<IpPrefix> range = range(r, p, out);
                range.ifPresent(x -> subnets.add(new Addressing.Located<>(x, Text.at(p, "range"))));
                complete &= range.isPresent();
            }
        }
        if (!ipam.has("range") && (ipRanges.isEmpty() || ipRanges.get().elements().isEmpty())) {
            out.error(Text.at(path, "range"), "range is missing: whereabouts needs range (CIDR) or a non-empty ipRanges");
            complete = false;
        }
        Optional<InetAddress> gateway = Fields.ip(ipam, "gateway", path, out);
        if (gateway.isPresent() && complete && subnets.stream().noneMatch(s -> s.value().network().contains(gateway.get()))) {
            out.warning(Text.at(path, "gateway"), "gateway " + Text.quote(IpPrefix.format(gateway.get()))
                    + " is outside every range (" + Route.describe(subnets) + "): routes via it are unreachable");
        }
        boolean checkRoutes = complete;
        Fields.array(ipam, "routes", path, out).ifPresent(routes -> {
            for (Route r : Route.readAll(routes, Text.at(path, "routes"), out)) {
                if (checkRoutes) {
                    Route.crossCheck(r, subnets, true, out);
                }
            }
        });
        Dns.check(ipam, path, out);
        return new Addressing(List.of(), subnets, complete);
    }

    private static Optional<IpPrefix> range(JsonObject r, String path, Findings out) {
        Optional<IpPrefix> range = Fields.cidr(r, "range", path, out);
        Optional<InetAddress> start = Fields.ip(r, "range_start", path, out);
        Optional<InetAddress> end = Fields.ip(r, "range_end", path, out);
        Fields.array(r, "exclude", path, out).ifPresent(exclude -> {
            for (int i = 0; i < exclude.elements().size(); i++) {
                JsonValue v = exclude.elements().get(i);
                String p = Text.at(Text.at(path, "exclude"), i);
                if (!(v instanceof io.netattach.cni.JsonValue.JsonString s)) {
                    out.error(p, "exclude entries must be CIDR strings, got " + Text.showTyped(v));
                } else if (IpPrefix.parse(s.value()).isEmpty()) {
                    out.error(p, "exclude entry " + Text.quote(s.value()) + " is not in CIDR notation ADDRESS/LENGTH");
                }
            }
        });
        if (range.isPresent()) {
            inside(start, "range_start", range.get().network(), path, out);
            inside(end, "range_end", range.get().network(), path, out);
        }
        return range;
    }

    private static void inside(Optional<InetAddress> ip, String name, IpPrefix network, String path, Findings out) {
        if (ip.isPresent() && !network.contains(ip.get())) {
            out.error(Text.at(path, name), name + " " + Text.quote(IpPrefix.format(ip.get())) + " is not inside range " + network);
        }
    }
}
