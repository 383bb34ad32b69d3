package io.netattach.plan;

import io.netattach.cni.CniException;
import io.netattach.cni.CniVersion;
import io.netattach.cni.Fields;
import io.netattach.cni.IpPrefix;
import io.netattach.cni.JsonException;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonBool;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;
import io.netattach.cni.NetConf;
import io.netattach.cni.NetworkConfigList;
import io.netattach.cni.Route;
import io.netattach.injection.NetworkSelection;
import io.netattach.injection.NetworksAnnotation;
import io.netattach.cni.conf.MacvlanConfig;
import io.netattach.cni.conf.RouteOverrideConfig;
import io.netattach.cni.conf.StaticIpamConfig;
import io.netattach.cni.Finding;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Computes a pod's {@link NetworkPlan}: runs the pod's networks, in attachment order, through a
 * model of what Multus and the bundled plugins do to the pod's network namespace (macvlan + static
 * IPAM, route-override, Multus' {@code default-route}), reading each config through the plugins' own
 * loaders, and reports what would fail or surprise:
 * <ul>
 *   <li>a route whose destination (table, metric) is already taken, by another network or the same
 *       one: the kernel answers EEXIST ("file exists");</li>
 *   <li>a route whose gateway is in no subnet connected to its interface at that point: the kernel
 *       answers ENETUNREACH;</li>
 *   <li>two default routes, the cluster network's counting unless the annotation's {@code default-route}
 *       replaces it;</li>
 *   <li>the same static address on two networks; overlapping connected subnets on two interfaces;</li>
 *   <li>with {@link ClusterNetworks}: addresses and subnets inside a cluster network, routes covering one.</li>
 * </ul>
 * Pure: no I/O, never throws on bad input (a config the plugins refuse becomes a finding).
 */
public final class Planner {

    private Planner() {
    }

    /** The plan of the pod whose networks are {@code attachments} (in annotation order). */
    public static NetworkPlan plan(List<Attachment> attachments, ClusterNetworks cluster) {
        return new Run(cluster, null).plan(attachments);
    }

    /**
     * The plan of one NAD on its own, as its admission sees it: findings point into the NAD
     * ({@code /spec/config/plugins/1/addroutes/0}); no cluster default route on eth0 (a pod may replace
     * it with {@code default-route}); a config the plugins refuse is left to the NAD validator.
     */
    public static NetworkPlan planNad(String network, String interfaceName, String config, ClusterNetworks cluster) {
        return planNad(network, interfaceName, config, null, cluster);
    }

    /** {@link #planNad(String, String, String, ClusterNetworks)} of a config already parsed ({@code parsed}, or null). */
    static NetworkPlan planNad(String network, String interfaceName, String config, JsonValue parsed, ClusterNetworks cluster) {
        return planConfig(network, interfaceName, config, parsed, "/spec/config", cluster);
    }

    /**
     * The plan of one CNI config on its own, as {@link #planNad} makes it, with findings at {@code pathPrefix}
     * followed by the pointer into the config ({@code ""} for a bare config file: {@code /plugins/1/addroutes/0}).
     */
    static NetworkPlan planConfig(String network, String interfaceName, String config, JsonValue parsed, String pathPrefix,
                                  ClusterNetworks cluster) {
        NetworkSelection sel = NetworkSelection.of(network.substring(network.indexOf('/') + 1), interfaceName);
        return new Run(cluster, pathPrefix).plan(List.of(new Attachment(0, sel, network, config, parsed)));
    }

    /** The attachments of a parsed networks annotation, configs looked up by {@code namespace/name}. */
    public static List<Attachment> attachments(List<NetworkSelection> elements, String podNamespace,
                                               java.util.function.Function<String, String> configByKey) {
        List<Attachment> out = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            NetworkSelection e = elements.get(i);
            String key = e.namespaceOr(podNamespace) + "/" + e.name();
            out.add(new Attachment(i, e, key, configByKey.apply(key)));
        }
        return out;
    }

    private static final class Run {
        private final ClusterNetworks cluster;
        private final List<PlannedInterface> interfaces = new ArrayList<>();
        private final List<PlannedRoute> table = new ArrayList<>();
        private final List<Finding> findings = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        /** static addresses so far: address -> who */
        private final Map<InetAddress, String> staticAddresses = new LinkedHashMap<>();
        private final Map<InetAddress, Integer> staticElements = new LinkedHashMap<>();

        /** NAD mode: findings point to {@code nadPrefix + source}; null for pods. */
        private final String nadPrefix;

        Run(ClusterNetworks cluster, String nadPrefix) {
            this.cluster = cluster;
            this.nadPrefix = nadPrefix;
        }

        /** The path of a finding: the annotation element (pods) or the config entry (NADs). */
        private String path(String at, String source) {
            return nadPrefix == null ? at : nadPrefix + source;
        }

        /** A refused config: an error for the pod; for a NAD the validator's business. */
        private void refused(String at, String message) {
            if (nadPrefix == null) {
                findings.add(Finding.error(at, message));
            } else {
                notes.add(message);
            }
        }

        NetworkPlan plan(List<Attachment> attachments) {
            // the cluster network's default route on eth0, unless Multus removes it for a default-route request
            boolean v4Request = false;
            boolean v6Request = false;
            for (Attachment a : attachments) {
                for (InetAddress gw : defaultRouteRequest(a.selection())) {
                    v4Request |= gw instanceof java.net.Inet4Address;
                    v6Request |= !(gw instanceof java.net.Inet4Address);
                }
            }
            if (!v4Request && nadPrefix == null) {
                table.add(new PlannedRoute(IpPrefix.parse("0.0.0.0/0").orElseThrow(), null, "eth0", null,
                        PlannedRoute.MAIN, PlannedRoute.Origin.CLUSTER_DEFAULT, null, -1, "cluster network", ""));
            }
            if (!v6Request && cluster.hasFamily(false) && nadPrefix == null) {
                table.add(new PlannedRoute(IpPrefix.parse("::/0").orElseThrow(), null, "eth0", null,
                        PlannedRoute.MAIN, PlannedRoute.Origin.CLUSTER_DEFAULT, null, -1, "cluster network", ""));
            }
            if (v4Request || v6Request) {
                notes.add("Multus removes the cluster network's default route from eth0 (default-route requested)");
            }
            for (Attachment a : attachments) {
                attach(a);
            }
            overlappingSubnets();
            return new NetworkPlan(interfaces, table, findings, notes);
        }

        // ------------------------------------------------------------ one network

        private void attach(Attachment a) {
            NetworkSelection sel = a.selection();
            String ifName = NetworksAnnotation.effectiveInterface(sel, a.element());
            String at = NetworksAnnotation.POINTER + "/" + a.element();
            String who = a.network() + " (" + ifName + ")";
            if (a.config() == null) {
                notes.add(who + ": NetworkAttachmentDefinition not found, not planned");
                return;
            }
            List<JsonObject> plugins;
            String cniVersion;
            String name;
            boolean list;
            try {
                JsonValue root = a.parsed() != null ? a.parsed() : ParsedConfigs.SHARED.parse(a.config());
                if (!(root instanceof JsonObject o)) {
                    notes.add(who + ": spec.config is not a JSON object, not planned");
                    return;
                }
                list = o.has("plugins");
                if (list) {
                    NetworkConfigList l = NetworkConfigList.fromJson(o);
                    plugins = l.plugins();
                    cniVersion = l.cniVersion();
                    name = l.name();
                } else {
                    plugins = List.of(o);
                    cniVersion = Fields.string(o, "", "cniVersion").orElse("");
                    name = Fields.string(o, "", "name").orElse("");
                }
            } catch (JsonException | CniException e) {
                notes.add(who + ": spec.config is invalid (" + e.getMessage() + "), not planned");
                return;
            }
            CniVersion version = CniVersion.parse(cniVersion).orElse(CniVersion.CURRENT);
            String prefix = list ? "/plugins/" : "/";
            List<JsonObject> requests = new ArrayList<>();
            for (JsonObject p : plugins) {
                requests.add(requestConfig(p, cniVersion, name, sel, who));
            }

            // ---- the interface
            JsonObject first = requests.getFirst();
            NetConf conf = NetConf.fromJson(first);
            String type = conf.type();
            String master = "";
            Optional<Integer> vlan = Optional.empty();
            Optional<String> mac = Optional.empty();
            int mtu = 0;
            String firstPath = list ? "/plugins/0" : "";
            if (type.equals("macvlan")) {
                try {
                    MacvlanConfig mc = MacvlanConfig.load(first, Map.of()).orThrow();
                    master = mc.master();
                    vlan = mc.vlan();
                    mac = mc.mac();
                    mtu = mc.mtu();
                } catch (CniException e) {
                    refused(at, "network " + who + ": macvlan refuses its config, the pod does not start: "
                            + e.error().msg());
                    return;
                }
            } else {
                notes.add(who + ": plugin \"" + type + "\" is not bundled with netattach; its interface is planned from its IPAM only");
                mac = conf.runtimeConfig().get("mac").filter(v -> v instanceof JsonString).map(v -> ((JsonString) v).value());
            }

            // ---- IPAM
            String ipamType = conf.ipamType();
            List<IpPrefix> addresses = new ArrayList<>();
            List<IpPrefix> subnets = new ArrayList<>();
            List<Route> ipamRoutes = new ArrayList<>();
            InetAddress v4gw = null;
            InetAddress v6gw = null;
            String addressing;
            String ipamPath = firstPath + "/ipam";
            boolean perPodAddresses = false;
            if (ipamType.isEmpty()) {
                addressing = "none";
            } else if (ipamType.equals("static")) {
                addressing = "static";
                try {
                    StaticIpamConfig sc = StaticIpamConfig.load(first, version, Map.of()).orThrow();
                    for (StaticIpamConfig.Address ad : sc.addresses()) {
                        addresses.add(ad.address());
                        if (ad.gateway().isPresent()) {
                            if (ad.address().isIpv4() && v4gw == null) {
                                v4gw = ad.gateway().get();
                            } else if (!ad.address().isIpv4() && v6gw == null) {
                                v6gw = ad.gateway().get();
                            }
                        }
                    }
                    ipamRoutes.addAll(sc.routes());
                    // a NAD on its own: with the ips capability each pod adds addresses (and subnets) of its own
                    perPodAddresses = nadPrefix != null && first.get("capabilities").orElse(null) instanceof JsonObject caps
                            && caps.get("ips").orElse(null) instanceof JsonBool b && b.value();
                    if (perPodAddresses) {
                        notes.add(who + ": static IPAM also takes each pod's \"ips\" (capabilities {\"ips\": true}): routes' gateways"
                                + " are checked per pod, at pod validation");
                    }
                } catch (CniException e) {
                    refused(at, "network " + who + ": static IPAM refuses its config, the pod does not start: "
                            + e.error().msg());
                    return;
                }
            } else {
                addressing = ipamType;
                JsonObject ipam = conf.ipam();
                try {
                    unpredictableIpam(ipamType, ipam, subnets, ipamRoutes);
                } catch (CniException e) {
                    notes.add(who + ": " + ipamType + " IPAM config unreadable (" + e.getMessage() + ")");
                }
                for (IpPrefix s : subnets) {
                    InetAddress gw = ipamGateway(ipamType, ipam, s);
                    if (gw != null && s.isIpv4() && v4gw == null) {
                        v4gw = gw;
                    } else if (gw != null && !s.isIpv4() && v6gw == null) {
                        v6gw = gw;
                    }
                }
                notes.add(who + ": " + ipamType + " IPAM chooses the address at ADD"
                        + (subnets.isEmpty() ? "; its subnet is not known in advance, so its routes' gateways are not checked"
                        : " (in " + String.join(", ", subnets.stream().map(IpPrefix::toString).toList()) + ")"));
            }
            PlannedInterface iface = new PlannedInterface(ifName, a.element(), a.network(), type, master, vlan, mac, mtu,
                    addresses, addressing, subnets);
            interfaces.add(iface);

            // ---- addresses: connected routes
            for (int i = 0; i < addresses.size(); i++) {
                IpPrefix addr = addresses.get(i);
                String src = ipamPath + "/addresses/" + i + "/address";
                String other = staticAddresses.putIfAbsent(addr.address(), who);
                if (other != null) {
                    findings.add(Finding.error(at, "address " + IpPrefix.format(addr.address()) + " of " + who
                            + " is also the static address of " + other + ": both interfaces answer ARP for it and"
                            + " replies leave through one of them only"));
                } else {
                    staticElements.put(addr.address(), a.element());
                }
                clusterAddress(at, who, addr, "address", src);
                if (addr.prefixLength() == IpPrefix.bits(addr.address())) {
                    continue; // a /32 or /128 gets no prefix route
                }
                connected(new PlannedRoute(addr.network(), null, ifName, null, PlannedRoute.MAIN,
                        PlannedRoute.Origin.CONNECTED, addr.isIpv4() ? addr.address() : null, a.element(), a.network(), src));
            }
            for (IpPrefix s : subnets) {
                clusterAddress(at, who, s, "subnet", ipamPath);
                connected(new PlannedRoute(s.network(), null, ifName, null, PlannedRoute.MAIN,
                        PlannedRoute.Origin.CONNECTED, null, a.element(), a.network(), ipamPath));
            }
            boolean subnetUnknown = perPodAddresses || !ipamType.isEmpty() && !ipamType.equals("static") && subnets.isEmpty();

            // ---- IPAM routes, added by the interface's plugin (macvlan skips one that exists: EEXIST ignored)
            for (int i = 0; i < ipamRoutes.size(); i++) {
                Route r = ipamRoutes.get(i);
                InetAddress gw = r.gw() != null ? r.gw() : (r.isIpv4() ? v4gw : v6gw);
                PlannedRoute pr = new PlannedRoute(r.dst(), gw, ifName, r.priority(),
                        r.table() == null ? PlannedRoute.MAIN : r.table(), PlannedRoute.Origin.IPAM, null, a.element(),
                        a.network(), ipamPath + "/routes/" + i);
                add(pr, at, who, Adder.IPAM, subnetUnknown);
            }

            // ---- chained plugins
            for (int k = 1; k < requests.size(); k++) {
                NetConf c = NetConf.fromJson(requests.get(k));
                String path = prefix + k;
                if (!c.type().equals("route-override")) {
                    notes.add(who + ": chained plugin \"" + c.type() + "\" is not modelled (routes it changes are not shown)");
                    continue;
                }
                RouteOverrideConfig ro;
                try {
                    ro = RouteOverrideConfig.load(requests.get(k)).orThrow();
                } catch (CniException e) {
                    refused(at, "network " + who + ": route-override refuses its config, the pod does not start: "
                            + e.error().msg());
                    return;
                }
                routeOverride(ro, ifName, a, at, who, path, subnetUnknown);
            }

            // ---- Multus default-route
            List<InetAddress> gateways = defaultRouteRequest(sel);
            if (!gateways.isEmpty()) {
                table.removeIf(r -> r.dev().equals(ifName) && r.isDefault() && r.table() == PlannedRoute.MAIN);
                for (InetAddress gw : gateways) {
                    IpPrefix dst = IpPrefix.parse(gw instanceof java.net.Inet4Address ? "0.0.0.0/0" : "::/0").orElseThrow();
                    PlannedRoute pr = new PlannedRoute(dst, gw, ifName, null, PlannedRoute.MAIN,
                            PlannedRoute.Origin.DEFAULT_ROUTE, null, a.element(), a.network(), "");
                    add(pr, at + "/default-route", who, Adder.MULTUS, subnetUnknown);
                }
            }
        }

        /** The request config of one plugin: cniVersion and name inserted, Multus' runtimeConfig and cni-args. */
        private JsonObject requestConfig(JsonObject plugin, String cniVersion, String name, NetworkSelection sel, String who) {
            Map<String, JsonValue> m = new LinkedHashMap<>();
            m.put("cniVersion", new JsonString(cniVersion));
            m.put("name", new JsonString(name));
            plugin.members().forEach((k, v) -> {
                if (!k.equals("cniVersion") && !k.equals("name")) {
                    m.put(k, v);
                }
            });
            JsonObject caps = plugin.get("capabilities").filter(v -> v instanceof JsonObject).map(v -> (JsonObject) v)
                    .orElse(JsonObject.empty());
            Map<String, JsonValue> rc = new LinkedHashMap<>();
            JsonValue ips = sel.fields().get("ips").orElse(null);
            if (ips instanceof JsonArray arr && !arr.elements().isEmpty()) {
                if (caps.get("ips").orElse(null) instanceof JsonBool b && b.value()) {
                    rc.put("ips", ips);
                } else if (plugin.has("ipam")) {
                    note(who + ": \"ips\" of the annotation ignored: the plugin lacks capabilities {\"ips\": true}");
                }
            }
            JsonValue mac = sel.fields().get("mac").orElse(null);
            if (mac instanceof JsonString s && !s.value().isEmpty()) {
                if (caps.get("mac").orElse(null) instanceof JsonBool b && b.value()) {
                    rc.put("mac", mac);
                } else if (!plugin.has("prevResult") && plugin.get("type").filter(t -> t instanceof JsonString ts
                        && !ts.value().equals("route-override")).isPresent()) {
                    note(who + ": \"mac\" of the annotation ignored: the plugin lacks capabilities {\"mac\": true}");
                }
            }
            if (!rc.isEmpty()) {
                m.put("runtimeConfig", new JsonObject(rc));
            }
            if (sel.fields().get("cni-args").orElse(null) instanceof JsonObject cniArgs && !cniArgs.members().isEmpty()) {
                JsonObject args = plugin.get("args").filter(v -> v instanceof JsonObject).map(v -> (JsonObject) v)
                        .orElse(JsonObject.empty());
                JsonObject existing = args.get("cni").filter(v -> v instanceof JsonObject).map(v -> (JsonObject) v)
                        .orElse(JsonObject.empty());
                Map<String, JsonValue> merged = new LinkedHashMap<>(existing.members());
                merged.putAll(cniArgs.members());
                m.put("args", args.with("cni", new JsonObject(merged)));
            }
            return new JsonObject(m);
        }

        private void note(String text) {
            if (!notes.contains(text)) {
                notes.add(text);
            }
        }

        // ------------------------------------------------------------ route-override

        private void routeOverride(RouteOverrideConfig ro, String ifName, Attachment a, String at, String who,
                                   String path, boolean subnetUnknown) {
            List<Route> del = new ArrayList<>(ro.delRoutes());
            if (ro.flushGateway()) {
                del.add(Route.of(IpPrefix.parse("0.0.0.0/0").orElseThrow(), null));
                del.add(Route.of(IpPrefix.parse("::/0").orElseThrow(), null));
            }
            if (!ro.flushRoutes()) {
                table.removeIf(r -> r.dev().equals(ifName) && r.table() == PlannedRoute.MAIN
                        && del.stream().anyMatch(d -> d.dst().network().equals(r.dst())
                        && (d.gw() == null || d.gw().equals(r.gateway()))));
            } else {
                table.removeIf(r -> r.dev().equals(ifName) && r.table() == PlannedRoute.MAIN && r.gateway() != null
                        && !r.dst().address().isLinkLocalAddress());
            }
            if (ro.flushGateway()) {
                table.removeIf(r -> r.dev().equals(ifName) && r.table() == PlannedRoute.MAIN && r.isDefault());
            }
            for (int i = 0; i < ro.addRoutes().size(); i++) {
                Route r = ro.addRoutes().get(i);
                PlannedRoute pr = new PlannedRoute(r.dst(), r.gw(), ifName, r.priority(),
                        r.table() == null ? PlannedRoute.MAIN : r.table(), PlannedRoute.Origin.ROUTE_OVERRIDE, null,
                        a.element(), a.network(), path + "/addroutes/" + i);
                add(pr, at, who, Adder.ROUTE_OVERRIDE, subnetUnknown);
            }
        }

        // ------------------------------------------------------------ the routing table

        /** Who adds a route, which decides what an EEXIST does. */
        private enum Adder { IPAM, ROUTE_OVERRIDE, MULTUS }

        private void connected(PlannedRoute r) {
            // the kernel appends prefix routes (no NLM_F_EXCL): two interfaces on one subnet both get one
            table.add(r);
        }

        private void add(PlannedRoute r, String at, String who, Adder adder, boolean subnetUnknown) {
            clusterRoute(at, who, r);
            at = path(at, r.source());
            if (r.gateway() != null && !subnetUnknown && !reachable(r.gateway(), r.dev())) {
                findings.add(Finding.error(at, "route " + r.describe() + " of " + who + ": gateway "
                        + IpPrefix.format(r.gateway()) + " is in no subnet connected to " + r.dev()
                        + " at that point of the chain; the kernel refuses it (network unreachable) and "
                        + actor(adder) + " fails"));
                return;
            }
            for (PlannedRoute existing : table) {
                if (!existing.clashes(r)) {
                    continue;
                }
                if (adder == Adder.ROUTE_OVERRIDE && existing.sameAs(r)) {
                    // route-override finds the identical route there and goes on
                    findings.add(Finding.warning(at, "route " + r.describe() + (existing.network().equals(r.network())
                            ? " is added twice by " + who : " of " + who + " is also added by " + existing.owner())
                            + ": the kernel refuses the second (file exists); route-override finds the identical route"
                            + " and goes on"));
                    return;
                }
                findings.add(Finding.error(at, collision(existing, r, who, adder)));
                return;
            }
            table.add(r);
        }

        private static String actor(Adder adder) {
            return switch (adder) {
                case IPAM -> "the interface's ADD";
                case ROUTE_OVERRIDE -> "route-override's ADD";
                case MULTUS -> "Multus' default-route";
            };
        }

        private String collision(PlannedRoute existing, PlannedRoute r, String who, Adder adder) {
            String consequence = switch (adder) {
                case IPAM -> "macvlan ignores that, so the route is missing and traffic for " + destination(r)
                        + " keeps leaving through " + existing.dev();
                case ROUTE_OVERRIDE -> "route-override's ADD fails and the pod does not start";
                case MULTUS -> "Multus fails the pod";
            };
            String same = existing.network().equals(r.network()) && existing.element() == r.element()
                    ? " of " + who + " collides with " + existing.describe() + ", added before by the same network"
                    : " of " + who + " collides with " + existing.describe() + " of " + existing.owner();
            if (r.isDefault()) {
                return "two default routes: " + r.describe() + " of " + who + " and "
                        + (existing.origin() == PlannedRoute.Origin.CLUSTER_DEFAULT ? "the cluster network's on eth0"
                        : existing.describe() + " of " + existing.owner())
                        + (existing.origin() == PlannedRoute.Origin.CLUSTER_DEFAULT
                        ? " (request the secondary default with the annotation's \"default-route\" instead)" : "")
                        + "; the kernel refuses the second (file exists): " + consequence;
            }
            return "route " + r.describe() + same + ": the kernel refuses the second (file exists): " + consequence;
        }

        private static String destination(PlannedRoute r) {
            return r.isDefault() ? "other destinations" : r.dst().toString();
        }

        /** Whether a link-scope route of {@code dev} covers {@code gw} (the kernel's nexthop check with an oif). */
        private boolean reachable(InetAddress gw, String dev) {
            return table.stream().anyMatch(r -> r.dev().equals(dev) && r.linkScope() && r.dst().contains(gw));
        }

        private void overlappingSubnets() {
            List<PlannedRoute> conn = table.stream().filter(r -> r.origin() == PlannedRoute.Origin.CONNECTED).toList();
            for (int i = 0; i < conn.size(); i++) {
                for (int j = 0; j < i; j++) {
                    PlannedRoute x = conn.get(j);
                    PlannedRoute y = conn.get(i);
                    if (!x.dev().equals(y.dev()) && x.dst().overlaps(y.dst())) {
                        findings.add(Finding.warning(NetworksAnnotation.POINTER + "/" + y.element(),
                                "connected subnet " + y.dst() + " of " + y.owner() + " overlaps " + x.dst() + " of "
                                        + x.owner() + ": " + (x.dst().equals(y.dst())
                                        ? "the kernel sends all of it through " + x.dev() + " (the first route)"
                                        : "the kernel sends " + (x.dst().prefixLength() > y.dst().prefixLength() ? x.dst() + " through " + x.dev()
                                        : y.dst() + " through " + y.dev()) + " (the more specific route)")
                                        + ", whichever interface a request came in on"));
                    }
                }
            }
        }

        // ------------------------------------------------------------ cluster networks

        private void clusterAddress(String at, String who, IpPrefix addr, String what, String source) {
            for (ClusterNetworks.Named n : cluster.all()) {
                boolean inside = what.equals("address") ? n.prefix().contains(addr.address()) : n.prefix().overlaps(addr);
                if (inside) {
                    findings.add(Finding.error(path(at, source), ClusterChecks.addressMessage(n, addr, what, who)));
                } else if (what.equals("address") && addr.network().overlaps(n.prefix())) {
                    findings.add(Finding.error(path(at, source), ClusterChecks.addressMessage(n, addr.network(), "subnet", who)));
                }
            }
        }

        private void clusterRoute(String at, String who, PlannedRoute r) {
            List<ClusterNetworks.Named> covered = cluster.all().stream()
                    .filter(n -> ClusterNetworks.covers(r.dst(), n.prefix())).toList();
            if (covered.isEmpty()) {
                return;
            }
            String message = ClusterChecks.coverMessage(covered, r, who, cluster.routePolicy());
            String where = path(at, r.source());
            findings.add(cluster.routePolicy() == ClusterNetworks.RoutePolicy.DENY
                    ? Finding.error(where, message) : Finding.warning(where, message));
        }
    }

    // ------------------------------------------------------------ helpers

    /** The gateways of the element's {@code default-route} that are IP addresses. */
    static List<InetAddress> defaultRouteRequest(NetworkSelection sel) {
        List<InetAddress> out = new ArrayList<>();
        if (sel.fields().get("default-route").orElse(null) instanceof JsonArray arr) {
            for (JsonValue v : arr.elements()) {
                if (v instanceof JsonString s) {
                    IpPrefix.parseAddress(s.value()).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    /** The subnets and routes of a host-local, whereabouts or other pool IPAM config. */
    static void unpredictableIpam(String type, JsonObject ipam, List<IpPrefix> subnets, List<Route> routes) {
        if (ipam == null) {
            return;
        }
        switch (type) {
            case "host-local" -> {
                Fields.cidr(ipam, "ipam", "subnet").ifPresent(subnets::add);
                if (ipam.get("ranges").orElse(null) instanceof JsonArray sets) {
                    for (JsonValue set : sets.elements()) {
                        if (set instanceof JsonArray ranges) {
                            for (JsonValue r : ranges.elements()) {
                                if (r instanceof JsonObject ro) {
                                    Fields.cidr(ro, "ipam.ranges", "subnet").ifPresent(subnets::add);
                                }
                            }
                        }
                    }
                }
            }
            case "whereabouts" -> {
                Fields.cidr(ipam, "ipam", "range").ifPresent(subnets::add);
                if (ipam.get("ipRanges").orElse(null) instanceof JsonArray list) {
                    for (JsonValue r : list.elements()) {
                        if (r instanceof JsonObject ro) {
                            Fields.cidr(ro, "ipam.ipRanges", "range").ifPresent(subnets::add);
                        }
                    }
                }
            }
            default -> {
            }
        }
        subnets.replaceAll(IpPrefix::network);
        if (ipam.get("routes").orElse(null) instanceof JsonArray list) {
            for (int i = 0; i < list.elements().size(); i++) {
                if (list.elements().get(i) instanceof JsonObject ro) {
                    routes.add(Route.fromJson(ro, "ipam.routes[" + i + "]"));
                }
            }
        }
    }

    /** The gateway a pool IPAM gives addresses of {@code subnet}: configured, or host-local's first address. */
    static InetAddress ipamGateway(String type, JsonObject ipam, IpPrefix subnet) {
        Optional<InetAddress> gw = Fields.ip(ipam, "ipam", "gateway").filter(subnet::contains);
        if (gw.isPresent()) {
            return gw.get();
        }
        if (type.equals("host-local") && ipam.get("ranges").orElse(null) instanceof JsonArray sets) {
            for (JsonValue set : sets.elements()) {
                if (set instanceof JsonArray ranges) {
                    for (JsonValue r : ranges.elements()) {
                        if (r instanceof JsonObject ro && Fields.cidr(ro, "", "subnet").map(IpPrefix::network)
                                .filter(subnet::equals).isPresent()) {
                            Optional<InetAddress> g = Fields.ip(ro, "", "gateway");
                            if (g.isPresent()) {
                                return g.get();
                            }
                        }
                    }
                }
            }
        }
        if (type.equals("host-local")) {
            byte[] b = subnet.network().address().getAddress();
            b[b.length - 1] |= 1; // host-local's default gateway: the subnet's first address
            try {
                return InetAddress.getByAddress(b);
            } catch (java.net.UnknownHostException e) {
                return null;
            }
        }
        return null;
    }
}
