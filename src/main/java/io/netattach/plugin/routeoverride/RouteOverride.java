package io.netattach.plugin.routeoverride;

import io.netattach.cni.conf.RouteOverrideConfig;
import io.netattach.cni.CniError;
import io.netattach.cni.CniException;
import io.netattach.cni.CniVersion;
import io.netattach.cni.Interface;
import io.netattach.cni.IpConfig;
import io.netattach.cni.IpPrefix;
import io.netattach.cni.NetConf;
import io.netattach.cni.Result;
import io.netattach.cni.Route;
import io.netattach.netlink.Errno;
import io.netattach.netlink.LinkInfo;
import io.netattach.netlink.LinuxException;
import io.netattach.netlink.Netlink;
import io.netattach.netlink.Netns;
import io.netattach.netlink.NetnsException;
import io.netattach.netlink.Nl;
import io.netattach.netlink.RouteInfo;
import io.netattach.plugin.CniRequest;
import io.netattach.plugin.Plugin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The route-override plugin: a chained plugin that rewrites the routes of the interface created
 * by the previous plugin. Order of operations as upstream (openshift/route-override-cni):
 * <ol>
 *   <li>{@code flushgateway}: adds {@code 0.0.0.0/0} and {@code ::/0} to the delete list and drops
 *       the {@code gateway} of every address in the result;</li>
 *   <li>without {@code flushroutes}: {@code delroutes} removes the kernel routes with that
 *       destination (and gateway, when given) on the sandbox interfaces, and the matching result
 *       routes;</li>
 *   <li>{@code flushroutes}: removes every route via a gateway on the sandbox interfaces
 *       (link-scope and device routes stay); the result keeps no routes;</li>
 *   <li>{@code flushgateway}: removes the default routes of the sandbox interfaces;</li>
 *   <li>{@code addroutes} are added on the first sandbox interface (the one named
 *       {@code CNI_IFNAME} when the result has it) and appended to the result. A route without
 *       {@code gw} is a device route ({@code ip route add DST dev IF}, scope link).</li>
 * </ol>
 * Differences from upstream: no prevResult is a code 7 error, not a crash; a route that cannot be
 * added fails ADD with the kernel's reason and undoes this ADD's changes; DEL removes the added
 * routes and succeeds when the netns or interface is gone; CHECK verifies the added routes and that
 * deleted ones stay deleted (so it passes after delroutes/flushgateway); cniVersion 1.1.0 is
 * supported; {@code metric}/{@code priority}, {@code table}, {@code mtu}, {@code advmss},
 * {@code scope} on addroutes are honoured.
 */
public final class RouteOverride implements Plugin {

    @Override
    public String name() {
        return "route-override";
    }

    @Override
    public List<CniVersion> supportedVersions() {
        // chaining (prevResult) exists from 0.3.0
        return List.of(CniVersion.V0_3_0, CniVersion.V0_3_1, CniVersion.V0_4_0, CniVersion.V1_0_0,
                CniVersion.V1_1_0);
    }

    private static Result requirePrevResult(NetConf conf, String verb) {
        return conf.parsedPrevResult().orElseThrow(() -> CniException.config(
                "route-override " + verb + ": prevResult is required: route-override must be chained after a "
                        + "plugin that creates the interface (e.g. macvlan)"));
    }

    /** Names of the interfaces to act on: sandbox interfaces of the result, target first. */
    static List<String> sandboxNames(Result prev, String ifname) {
        List<String> names = new ArrayList<>();
        for (Interface i : prev.sandboxInterfaces()) {
            if (i.name().equals(ifname)) {
                names.addFirst(i.name());
            } else if (!names.contains(i.name())) {
                names.add(i.name());
            }
        }
        if (names.isEmpty()) {
            names.add(ifname);
        }
        return names;
    }

    private static Netns openNetns(CniRequest request) {
        try {
            return Netns.open(request.netns());
        } catch (NetnsException e) {
            int code = e.kind() == NetnsException.Kind.MISSING ? CniError.CODE_UNKNOWN_CONTAINER
                    : e.kind() == NetnsException.Kind.NOT_A_NETNS ? CniError.CODE_INVALID_NETNS : CniError.CODE_INTERNAL;
            throw new CniException(code, e.getMessage());
        }
    }

    private static Map<String, LinkInfo> links(Netlink nl, List<String> names, String netns) {
        Map<String, LinkInfo> out = new LinkedHashMap<>();
        for (String name : names) {
            LinkInfo link = nl.linkByName(name).orElseThrow(() -> CniException.config(
                    "interface \"" + name + "\" not found in netns \"" + netns + "\""));
            out.put(name, link);
        }
        return out;
    }

    @Override
    public Result add(CniRequest request, NetConf conf) {
        RouteOverrideConfig cfg = RouteOverrideConfig.load(conf.raw()).orThrow();
        Result prev = requirePrevResult(conf, "ADD");
        List<Route> delRoutes = new ArrayList<>(cfg.delRoutes());
        List<IpConfig> ips = prev.ips();
        if (cfg.flushGateway()) {
            delRoutes.add(Route.of(IpPrefix.parse("0.0.0.0/0").orElseThrow(), null));
            delRoutes.add(Route.of(IpPrefix.parse("::/0").orElseThrow(), null));
            ips = ips.stream().map(ip -> ip.withGateway(null)).toList();
        }
        List<String> names = sandboxNames(prev, request.ifname());
        List<RouteInfo> removed = new ArrayList<>();
        List<RouteInfo> added = new ArrayList<>();
        List<Route> resultRoutes = new ArrayList<>();
        try (Netns ns = openNetns(request); Netlink nl = ns.netlink()) {
            Map<String, LinkInfo> links = links(nl, names, request.netns());
            List<Integer> indexes = links.values().stream().map(LinkInfo::index).toList();
            try {
                // the kernel's routes are only read when something is to be deleted
                List<RouteInfo> kernel = cfg.flushRoutes() || !delRoutes.isEmpty()
                        ? mainRoutes(nl, indexes) : List.of();
                if (!cfg.flushRoutes()) {
                    for (RouteInfo r : kernel) {
                        if (delRoutes.stream().anyMatch(d -> matches(d, r))) {
                            delete(nl, r, removed);
                        }
                    }
                    for (Route r : prev.routes()) {
                        if (delRoutes.stream().noneMatch(d -> d.dst().equals(r.dst().network())
                                && (d.gw() == null || d.gw().equals(r.gw())))) {
                            resultRoutes.add(r);
                        }
                    }
                } else {
                    for (RouteInfo r : kernel) {
                        if (r.gateway() != null && r.scope() != Nl.RT_SCOPE_LINK && !isLinkLocal(r.dst())) {
                            delete(nl, r, removed);
                        }
                    }
                }
                if (cfg.flushGateway()) {
                    for (RouteInfo r : mainRoutes(nl, indexes)) {
                        if (r.isDefault()) {
                            delete(nl, r, removed);
                        }
                    }
                }
                LinkInfo target = links.get(names.getFirst());
                for (Route r : cfg.addRoutes()) {
                    RouteInfo k = toKernel(r, target.index());
                    try {
                        nl.addRoute(k);
                        added.add(k);
                    } catch (LinuxException e) {
                        if (!(e.errno() == Errno.EEXIST && present(nl, k))) {
                            throw CniException.internal("failed to add route " + describe(r, target.name()) + ": "
                                    + e.reason());
                        }
                        // an identical route is already there (e.g. from IPAM): nothing to do
                    }
                    resultRoutes.add(r);
                }
            } catch (RuntimeException e) {
                undo(nl, added, removed);
                throw e;
            }
        }
        return prev.withIps(ips).withRoutes(resultRoutes);
    }

    private static void delete(Netlink nl, RouteInfo r, List<RouteInfo> removed) {
        try {
            nl.deleteRoute(r);
            removed.add(r);
        } catch (LinuxException e) {
            if (e.errno() != Errno.ESRCH) {
                throw CniException.internal("failed to delete route " + r + ": " + e.reason());
            }
        }
    }

    /** Best effort: remove what was added, put back what was removed. */
    private static void undo(Netlink nl, List<RouteInfo> added, List<RouteInfo> removed) {
        for (RouteInfo r : added.reversed()) {
            try {
                nl.deleteRoute(r);
            } catch (RuntimeException ignored) {
                // keep undoing
            }
        }
        for (RouteInfo r : removed) {
            try {
                nl.addRoute(r);
            } catch (RuntimeException ignored) {
                // keep undoing
            }
        }
    }

    private static boolean matches(Route del, RouteInfo kernel) {
        return kernel.dst().equals(del.dst().network()) && (del.gw() == null || del.gw().equals(kernel.gateway()));
    }

    private static boolean isLinkLocal(IpPrefix dst) {
        return dst.address().isLinkLocalAddress();
    }

    private static List<RouteInfo> mainRoutes(Netlink nl, List<Integer> indexes) {
        List<RouteInfo> out = new ArrayList<>();
        for (int family : new int[]{Nl.AF_INET, Nl.AF_INET6}) {
            for (RouteInfo r : nl.routes(family)) {
                if (r.table() == Nl.RT_TABLE_MAIN && indexes.contains(r.oif()) && r.type() == Nl.RTN_UNICAST) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    static RouteInfo toKernel(Route r, int oif) {
        RouteInfo k = RouteInfo.add(r.dst(), r.gw(), oif);
        if (r.table() != null) {
            k = k.withTable(r.table());
        }
        if (r.priority() != null) {
            k = k.withPriority(r.priority());
        }
        if (r.scope() != null) {
            k = k.withScope(r.scope());
        }
        if (r.mtu() != null || r.advmss() != null) {
            k = k.withMetrics(r.mtu(), r.advmss());
        }
        return k;
    }

    /** Whether the kernel has a route equal in dst, gateway, oif, table and (when set) metric. */
    private static boolean present(Netlink nl, RouteInfo want) {
        return nl.routes(want.family()).stream().anyMatch(r -> same(want, r));
    }

    private static boolean same(RouteInfo want, RouteInfo r) {
        return r.dst().equals(want.dst()) && r.table() == want.table() && r.oif() == want.oif()
                && java.util.Objects.equals(r.gateway(), want.gateway())
                && (want.priority() == null || want.priority().equals(r.priority())
                || (r.priority() == null && want.priority() == 0));
    }

    static String describe(Route r, String dev) {
        StringBuilder sb = new StringBuilder(r.dst().toString());
        if (r.gw() != null) {
            sb.append(" via ").append(IpPrefix.format(r.gw()));
        }
        sb.append(" dev ").append(dev);
        if (r.table() != null) {
            sb.append(" table ").append(Integer.toUnsignedString(r.table()));
        }
        if (r.priority() != null) {
            sb.append(" metric ").append(Integer.toUnsignedString(r.priority()));
        }
        return sb.toString();
    }

    @Override
    public void del(CniRequest request, NetConf conf) {
        RouteOverrideConfig cfg = RouteOverrideConfig.load(conf.raw()).orThrow();
        if (request.netns().isEmpty() || cfg.addRoutes().isEmpty()) {
            return;
        }
        Result prev;
        try {
            prev = conf.parsedPrevResult().orElse(Result.empty(CniVersion.CURRENT));
        } catch (CniException e) {
            prev = Result.empty(CniVersion.CURRENT); // DEL is best effort: fall back to CNI_IFNAME
        }
        String name = sandboxNames(prev, request.ifname()).getFirst();
        Netns ns;
        try {
            ns = Netns.open(request.netns());
        } catch (NetnsException e) {
            if (e.kind() == NetnsException.Kind.MISSING) {
                return; // the container is gone, and its routes with it
            }
            throw new CniException(e.kind() == NetnsException.Kind.NOT_A_NETNS ? CniError.CODE_INVALID_NETNS
                    : CniError.CODE_INTERNAL, e.getMessage());
        }
        try (ns; Netlink nl = ns.netlink()) {
            LinkInfo link = nl.linkByName(name).orElse(null);
            if (link == null) {
                return; // interface gone: its routes went with it
            }
            for (Route r : cfg.addRoutes()) {
                RouteInfo k = toKernel(r, link.index());
                try {
                    nl.deleteRoute(k);
                } catch (LinuxException e) {
                    if (e.errno() != Errno.ESRCH && e.errno() != Errno.ENODEV) {
                        throw CniException.internal("failed to delete route " + describe(r, name) + ": "
                                + e.reason());
                    }
                }
            }
        }
    }

    @Override
    public void check(CniRequest request, NetConf conf) {
        RouteOverrideConfig cfg = RouteOverrideConfig.load(conf.raw()).orThrow();
        if (cfg.skipCheck()) {
            return;
        }
        Result prev = requirePrevResult(conf, "CHECK");
        List<String> names = sandboxNames(prev, request.ifname());
        List<Route> delRoutes = new ArrayList<>(cfg.delRoutes());
        if (cfg.flushGateway()) {
            delRoutes.add(Route.of(IpPrefix.parse("0.0.0.0/0").orElseThrow(), null));
            delRoutes.add(Route.of(IpPrefix.parse("::/0").orElseThrow(), null));
        }
        try (Netns ns = openNetns(request); Netlink nl = ns.netlink()) {
            Map<String, LinkInfo> links = links(nl, names, request.netns());
            List<Integer> indexes = links.values().stream().map(LinkInfo::index).toList();
            LinkInfo target = links.get(names.getFirst());
            for (Route r : cfg.addRoutes()) {
                RouteInfo want = toKernel(r, target.index());
                if (!present(nl, want)) {
                    throw CniException.internal("route " + describe(r, target.name()) + " is missing");
                }
                if (prev.routes().stream().noneMatch(x -> x.dst().network().equals(r.dst())
                        && java.util.Objects.equals(x.gw(), r.gw()))) {
                    throw CniException.internal("route " + describe(r, target.name()) + " is not in prevResult");
                }
            }
            if (!cfg.flushRoutes()) {
                for (RouteInfo k : mainRoutes(nl, indexes)) {
                    for (Route d : delRoutes) {
                        if (matches(d, k) && cfg.addRoutes().stream().noneMatch(a -> a.dst().equals(k.dst()))) {
                            throw CniException.internal("route " + k + " should have been removed (delroutes/"
                                    + "flushgateway) but is present");
                        }
                    }
                }
            } else {
                for (RouteInfo k : mainRoutes(nl, indexes)) {
                    boolean gatewayRoute = k.gateway() != null && k.scope() != Nl.RT_SCOPE_LINK
                            && !isLinkLocal(k.dst());
                    boolean ours = cfg.addRoutes().stream().anyMatch(a -> same(toKernel(a, k.oif()), k));
                    boolean inResult = prev.routes().stream().anyMatch(x -> x.dst().network().equals(k.dst())
                            && java.util.Objects.equals(x.gw(), k.gateway()));
                    if (gatewayRoute && !ours && !inResult) {
                        throw CniException.internal("route " + k + " should have been flushed (flushroutes) but is "
                                + "present");
                    }
                }
            }
        }
    }
}
