package io.netattach.validation;
import io.netattach.cni.Fields;
import io.netattach.cni.Findings;
import io.netattach.cni.Text;

import io.netattach.cni.IpPrefix;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * host-local IPAM: {@code ranges} (a list of range sets, each a list of {@code {subnet, rangeStart,
 * rangeEnd, gateway}}) or the legacy single {@code subnet}; the checks host-local makes when it loads
 * the config (canonical subnet, big enough, range inside subnet, no overlaps, one family per set).
 */
record HostLocalIpamRules() implements IpamRules {

    private static final Set<String> KNOWN = Set.of("type", "ranges", "subnet", "rangeStart", "rangeEnd", "gateway",
            "routes", "dataDir", "resolvConf", "dns");

    @Override
    public Addressing check(JsonObject ipam, String path, PluginContext plugin, Findings out) {
        IpamRules.unknownKeys(ipam, path, "host-local", KNOWN,
                "type, ranges, subnet, rangeStart, rangeEnd, gateway, routes, dataDir, resolvConf", out);
        List<Addressing.Located<IpPrefix>> subnets = new ArrayList<>();
        boolean complete = true;
        if (ipam.has("subnet")) {
            Optional<IpPrefix> r = range(ipam, path, out);
            r.ifPresent(s -> subnets.add(new Addressing.Located<>(s, Text.at(path, "subnet"))));
            complete &= r.isPresent();
        } else {
            for (String key : List.of("rangeStart", "rangeEnd", "gateway")) {
                if (ipam.has(key)) {
                    out.warning(Text.at(path, key), key + " without subnet is ignored: put it into a ranges entry");
                }
            }
        }
        Optional<JsonArray> ranges = Fields.array(ipam, "ranges", path, out);
        if (!ipam.has("ranges") && !ipam.has("subnet")) {
            out.error(path, "host-local needs ranges (a list of range sets) or subnet; neither is set");
            complete = false;
        }
        if (ranges.isPresent()) {
            String rp = Text.at(path, "ranges");
            if (ranges.get().elements().isEmpty() && !ipam.has("subnet")) {
                out.error(rp, "ranges is empty: host-local has no address to allocate");
            }
            for (int i = 0; i < ranges.get().elements().size(); i++) {
                complete &= rangeSet(ranges.get().elements().get(i), Text.at(rp, i), subnets, out);
            }
        } else if (ipam.has("ranges")) {
            complete = false;
        }
        boolean checkRoutes = complete;
        Fields.array(ipam, "routes", path, out).ifPresent(routes -> {
            for (Route r : Route.readAll(routes, Text.at(path, "routes"), out)) {
                if (checkRoutes) {
                    Route.crossCheck(r, subnets, true, out);
                }
            }
        });
        Fields.string(ipam, "dataDir", path, out);
        Fields.string(ipam, "resolvConf", path, out);
        Dns.check(ipam, path, out);
        return new Addressing(List.of(), subnets, complete);
    }

    /** One range set: a non-empty list of ranges of one family that do not overlap. */
    private static boolean rangeSet(JsonValue value, String path, List<Addressing.Located<IpPrefix>> subnets, Findings out) {
        if (!(value instanceof JsonArray set)) {
            out.error(path, "a ranges entry must be an array of range objects (a range set), got " + Text.showTyped(value));
            return false;
        }
        if (set.elements().isEmpty()) {
            out.error(path, "range set is empty: it needs at least one {\"subnet\": CIDR}");
            return false;
        }
        boolean complete = true;
        List<Addressing.Located<IpPrefix>> inSet = new ArrayList<>();
        for (int i = 0; i < set.elements().size(); i++) {
            String p = Text.at(path, i);
            JsonValue v = set.elements().get(i);
            if (!(v instanceof JsonObject r)) {
                out.error(p, "range must be an object {\"subnet\": CIDR, \"rangeStart\": IP, \"rangeEnd\": IP, \"gateway\": IP}, got "
                        + Text.showTyped(v));
                complete = false;
                continue;
            }
            for (String key : r.members().keySet()) {
                if (!Set.of("subnet", "rangeStart", "rangeEnd", "gateway").contains(key)) {
                    out.warning(Text.at(p, key), "key " + Text.quote(key) + " is not a field of a host-local range and is ignored");
                }
            }
            if (!r.has("subnet")) {
                out.error(Text.at(p, "subnet"), "subnet is missing: each range needs a subnet in CIDR notation");
                complete = false;
                continue;
            }
            Optional<IpPrefix> subnet = range(r, p, out);
            if (subnet.isEmpty()) {
                complete = false;
                continue;
            }
            Addressing.Located<IpPrefix> located = new Addressing.Located<>(subnet.get(), Text.at(p, "subnet"));
            if (!inSet.isEmpty() && inSet.get(0).value().isIpv4() != subnet.get().isIpv4()) {
                out.error(located.path(), "subnet " + Text.quote(subnet.get().toString()) + " is " + Fields.family(subnet.get())
                        + " but its range set starts with " + Fields.family(inSet.get(0).value())
                        + ": a range set must be of one family (use a separate set for each family)");
            }
            for (Addressing.Located<IpPrefix> other : inSet) {
                if (other.value().overlaps(subnet.get())) {
                    out.error(located.path(), "subnet " + Text.quote(subnet.get().toString()) + " overlaps " + other.value()
                            + " of the same range set");
                }
            }
            inSet.add(located);
        }
        subnets.addAll(inSet);
        return complete;
    }

    /** The fields of one range (or of the legacy top-level form); returns its subnet when valid. */
    private static Optional<IpPrefix> range(JsonObject r, String path, Findings out) {
        Optional<IpPrefix> parsed = Fields.cidr(r, "subnet", path, out);
        Optional<InetAddress> start = Fields.ip(r, "rangeStart", path, out);
        Optional<InetAddress> end = Fields.ip(r, "rangeEnd", path, out);
        Optional<InetAddress> gateway = Fields.ip(r, "gateway", path, out);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        IpPrefix subnet = parsed.get();
        String sp = Text.at(path, "subnet");
        if (subnet.hasHostBits()) {
            out.error(sp, "subnet " + Text.quote(subnet.toString()) + " has host bits set: host-local needs the network address "
                    + subnet.network());
        }
        int bits = IpPrefix.bits(subnet.address());
        if (subnet.prefixLength() > bits - 2) {
            out.error(sp, "subnet " + Text.quote(subnet.toString()) + " is too small to allocate from (at most /" + (bits - 2) + ")");
        }
        IpPrefix network = subnet.network();
        inside(start, "rangeStart", network, path, out);
        inside(end, "rangeEnd", network, path, out);
        if (start.isPresent() && end.isPresent() && IpPrefix.bits(start.get()) == IpPrefix.bits(end.get())
                && network.contains(start.get()) && network.contains(end.get())) {
            BigInteger s = IpPrefix.toInteger(start.get());
            BigInteger e = IpPrefix.toInteger(end.get());
            if (s.compareTo(e) > 0) {
                out.error(Text.at(path, "rangeEnd"), "rangeEnd " + Text.quote(IpPrefix.format(end.get())) + " is before rangeStart "
                        + Text.quote(IpPrefix.format(start.get())));
            }
        }
        if (gateway.isPresent()) {
            InetAddress gw = gateway.get();
            if (IpPrefix.bits(gw) != bits) {
                out.error(Text.at(path, "gateway"), "gateway " + Text.quote(IpPrefix.format(gw)) + " is " + Fields.family(gw)
                        + " but subnet " + Text.quote(subnet.toString()) + " is " + Fields.family(subnet));
            } else if (!network.contains(gw)) {
                out.warning(Text.at(path, "gateway"), "gateway " + Text.quote(IpPrefix.format(gw)) + " is outside subnet "
                        + network + ": routes via it are unreachable");
            }
        }
        return Optional.of(subnet);
    }

    private static void inside(Optional<InetAddress> ip, String name, IpPrefix network, String path, Findings out) {
        if (ip.isPresent() && !network.contains(ip.get())) {
            out.error(Text.at(path, name), name + " " + Text.quote(IpPrefix.format(ip.get())) + " is not inside subnet " + network);
        }
    }
}
