package io.netattach.plugin.macvlan;

import io.netattach.cni.conf.MacvlanConfig;
import io.netattach.cni.CniError;
import io.netattach.cni.CniException;
import io.netattach.cni.CniVersion;
import io.netattach.cni.Dns;
import io.netattach.cni.Interface;
import io.netattach.cni.IpConfig;
import io.netattach.cni.IpPrefix;
import io.netattach.cni.NetConf;
import io.netattach.cni.Result;
import io.netattach.cni.Route;
import io.netattach.netlink.AddressInfo;
import io.netattach.netlink.Errno;
import io.netattach.netlink.LinkInfo;
import io.netattach.netlink.LinuxException;
import io.netattach.netlink.Netlink;
import io.netattach.netlink.Netns;
import io.netattach.netlink.NetnsException;
import io.netattach.netlink.Nl;
import io.netattach.netlink.RouteInfo;
import io.netattach.netlink.Sysctl;
import io.netattach.plugin.CniRequest;
import io.netattach.plugin.Command;
import io.netattach.plugin.IpamDelegate;
import io.netattach.plugin.Plugin;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code macvlan} plugin, as the reference (containernetworking/plugins) plus the {@code vlan}
 * extension and a complete undo: ADD creates the macvlan under a temporary name directly in the pod
 * namespace ({@code IFLA_NET_NS_FD}), renames it to CNI_IFNAME, runs IPAM ADD, applies addresses and
 * routes and sets the link up; any failure once the link exists removes it and runs IPAM DEL, so the
 * pod is left exactly as before. DEL runs IPAM DEL, then deletes the link (success when the netns or
 * link is gone). CHECK verifies link type, mode, MAC, addresses and routes against prevResult. STATUS
 * fails with code 50 when the master is missing.
 *
 * <p>The plugin's own network namespace plays the host (where {@code master} lives unless
 * {@code linkInContainer}).
 */
public final class MacvlanPlugin implements Plugin {

    /** Runs the delegated IPAM plugin; returns its stdout. Production: {@link IpamDelegate#exec}. */
    @FunctionalInterface
    public interface IpamExec {
        String exec(Command command, CniRequest request, NetConf conf);
    }

    private static final int IFA_F_TENTATIVE = 0x40;
    private static final int IFA_F_DADFAILED = 0x08;

    private final IpamExec ipam;

    public MacvlanPlugin() {
        this(IpamDelegate::exec);
    }

    public MacvlanPlugin(IpamExec ipam) {
        this.ipam = ipam;
    }

    @Override
    public String name() {
        return "macvlan";
    }

    @Override
    public Set<String> knownArgs() {
        return Set.of("MAC");
    }

    // ------------------------------------------------------------------ ADD

    @Override
    public Result add(CniRequest request, NetConf conf) {
        MacvlanConfig cfg = load(request, conf);
        CniVersion version = conf.version().orElse(CniVersion.CURRENT);
        String ifName = request.ifname();
        try (Netns pod = openNetns(request.netns()); Netlink podNl = pod.netlink()) {
            String tmpName = temporaryName(request);
            // a leftover of an earlier ADD of this same attachment that was killed before the rename
            podNl.linkByName(tmpName).ifPresent(stale -> deleteQuietly(podNl, stale.index()));
            try (Netlink hostOnly = cfg.linkInContainer() ? null : Netlink.open()) {
                Netlink host = hostOnly != null ? hostOnly : podNl;
                LinkInfo master = resolveMaster(host, cfg);
                if (cfg.mtu() > master.mtu()) {
                    throw CniException.config("invalid MTU " + cfg.mtu() + ", must be [0, master MTU(" + master.mtu()
                            + ")] (master \"" + master.name() + "\")");
                }
                if (cfg.vlan().isPresent()) {
                    master = ensureVlan(host, master, cfg.vlan().get());
                }
                int mode = Netlink.macvlanMode(cfg.mode()).orElseThrow();
                Netlink.MacvlanSpec spec = new Netlink.MacvlanSpec(tmpName, master.index(), mode, cfg.mtu(),
                        cfg.mac().orElse(null), cfg.linkInContainer() ? -1 : pod.fd());
                try {
                    if (cfg.bcQueueLen().isPresent()) {
                        host.addMacvlan(spec, cfg.bcQueueLen().get());
                    } else {
                        host.addMacvlan(spec);
                    }
                } catch (LinuxException e) {
                    throw CniException.internal("failed to create macvlan on \"" + master.name() + "\": " + e.reason());
                }
            }
            LinkInfo link = podNl.linkByName(tmpName).orElseThrow(() -> CniException.internal(
                    "failed to find the new macvlan \"" + tmpName + "\" in netns \"" + request.netns() + "\""));
            try {
                podNl.setLinkName(link.index(), ifName);
            } catch (LinuxException e) {
                deleteQuietly(podNl, link.index());
                throw CniException.internal("failed to rename macvlan to \"" + ifName + "\": " + e.reason());
            }
            return configure(request, conf, cfg, version, pod, podNl, link.index());
        } catch (NetnsException e) {
            throw netnsError(e);
        }
    }

    /** Code 3 when the netns does not exist, 8 when the path is not a network namespace, else 999. */
    static CniException netnsError(NetnsException e) {
        int code = switch (e.kind()) {
            case MISSING -> CniError.CODE_UNKNOWN_CONTAINER;
            case NOT_A_NETNS -> CniError.CODE_INVALID_NETNS;
            case FAILED -> CniError.CODE_INTERNAL;
        };
        return new CniException(code, e.getMessage());
    }

    /** Everything after the link exists; on any failure the link is removed and IPAM DEL runs. */
    private Result configure(CniRequest request, NetConf conf, MacvlanConfig cfg, CniVersion version, Netns pod,
                             Netlink podNl, int index) {
        boolean ipamCalled = false;
        try {
            LinkInfo link = podNl.linkByIndex(index).orElseThrow(() -> CniException.internal(
                    "macvlan \"" + request.ifname() + "\" vanished from netns \"" + request.netns() + "\""));
            Interface iface = new Interface(request.ifname(), link.mac(), request.netns());
            if (!cfg.hasIpam()) {
                podNl.setLinkUp(index);
                return new Result(version, List.of(iface), List.of(), List.of(), conf.dns());
            }
            ipamCalled = true;
            String out = ipam.exec(Command.ADD, request, conf);
            Result ipamResult = Result.parse(out, "IPAM plugin \"" + cfg.ipamType() + "\" result", version);
            if (ipamResult.ips().isEmpty()) {
                throw CniException.internal("IPAM plugin returned missing IP config");
            }
            List<IpConfig> ips = ipamResult.ips().stream()
                    .map(ip -> new IpConfig(ip.address(), ip.gateway(), 0)).toList();
            String ifName = request.ifname();
            pod.run(() -> {
                setSysctlQuietly("net/ipv4/conf/" + ifName + "/arp_notify", "1");
                setSysctlQuietly("net/ipv6/conf/" + ifName + "/ndisc_notify", "1");
                if (ips.stream().anyMatch(ip -> !ip.isIpv4())) {
                    setSysctlQuietly("net/ipv6/conf/" + ifName + "/disable_ipv6", "0");
                    setSysctlQuietly("net/ipv6/conf/" + ifName + "/keep_addr_on_down", "1");
                }
                return null;
            });
            for (IpConfig ip : ips) {
                try {
                    podNl.addAddress(index, ip.address());
                } catch (LinuxException e) {
                    throw CniException.internal("failed to add IP addr " + ip.address() + " to \"" + ifName + "\": "
                            + e.reason());
                }
            }
            podNl.setLinkUp(index);
            InetAddress v4gw = ips.stream().filter(IpConfig::isIpv4).map(IpConfig::gateway)
                    .filter(g -> g != null).findFirst().orElse(null);
            InetAddress v6gw = ips.stream().filter(ip -> !ip.isIpv4()).map(IpConfig::gateway)
                    .filter(g -> g != null).findFirst().orElse(null);
            if (v6gw != null) {
                waitForDad(podNl, index);
            }
            for (Route r : ipamResult.routes()) {
                InetAddress gw = r.gw() != null ? r.gw() : (r.isIpv4() ? v4gw : v6gw);
                RouteInfo route = kernelRoute(r, gw, index);
                try {
                    podNl.addRoute(route);
                } catch (LinuxException e) {
                    if (e.errno() != Errno.EEXIST) {
                        throw CniException.internal("failed to add route '" + route + " dev " + ifName + "': "
                                + e.reason());
                    }
                }
            }
            Dns dns = conf.dns().isEmpty() ? ipamResult.dns() : conf.dns();
            return new Result(version, List.of(iface), ips, ipamResult.routes(), dns);
        } catch (RuntimeException e) {
            deleteQuietly(podNl, index);
            if (ipamCalled) {
                try {
                    ipam.exec(Command.DEL, request, conf);
                } catch (RuntimeException delError) {
                    e.addSuppressed(delError);
                }
            }
            if (e instanceof LinuxException le) {
                throw CniException.internal("failed to configure \"" + request.ifname() + "\": " + le.getMessage());
            }
            throw e;
        }
    }

    /** The kernel route for a result route: the route's gw or the family's gateway, table/scope/metrics as given. */
    static RouteInfo kernelRoute(Route r, InetAddress gw, int index) {
        return new RouteInfo(r.dst().network(), gw, index, r.table() != null ? r.table() : Nl.RT_TABLE_MAIN,
                r.priority(), r.scope() != null ? r.scope() : Nl.RT_SCOPE_UNIVERSE, Nl.RTPROT_BOOT, Nl.RTN_UNICAST,
                null, r.mtu(), r.advmss());
    }

    /** Waits (at most 5 s, as the reference) until no IPv6 address of the link is tentative. */
    private static void waitForDad(Netlink nl, int index) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean tentative = false;
            for (AddressInfo a : nl.addresses(index, Nl.AF_INET6)) {
                if ((a.flags() & IFA_F_DADFAILED) != 0) {
                    throw CniException.internal("duplicate address detection failed for " + a.prefix());
                }
                tentative |= (a.flags() & IFA_F_TENTATIVE) != 0;
            }
            if (!tentative) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ------------------------------------------------------------------ master and VLAN

    private static LinkInfo resolveMaster(Netlink nl, MacvlanConfig cfg) {
        String where = cfg.linkInContainer() ? "container" : "host";
        if (cfg.master().isEmpty()) {
            String name = defaultRouteInterface(nl).orElseThrow(() -> CniException.config(
                    "no default route interface found in the " + where + " network namespace (set \"master\")"));
            return nl.linkByName(name).orElseThrow(() -> CniException.config("no default route interface found"));
        }
        return nl.linkByName(cfg.master()).orElseThrow(() -> CniException.config("failed to lookup master \""
                + cfg.master() + "\": no such interface in the " + where + " network namespace"));
    }

    /** The interface of the first default route (IPv4 first, then IPv6), as the reference. */
    static Optional<String> defaultRouteInterface(Netlink nl) {
        for (int family : new int[] {Nl.AF_INET, Nl.AF_INET6}) {
            for (RouteInfo r : nl.routes(family)) {
                if (r.isDefault() && r.oif() > 0 && r.type() == Nl.RTN_UNICAST) {
                    Optional<LinkInfo> link = nl.linkByIndex(r.oif());
                    if (link.isPresent()) {
                        return Optional.of(link.get().name());
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The name of the 802.1Q sub-interface of {@code master} for {@code vlan}. */
    public static String vlanInterfaceName(String master, int vlan) {
        return master + "." + vlan;
    }

    /**
     * The 802.1Q sub-interface {@code MASTER.VLAN}: reused when present (it must be that VLAN on that
     * master), else created up with the master's MTU. It is never deleted by this plugin (other
     * attachments may use it).
     */
    static LinkInfo ensureVlan(Netlink nl, LinkInfo master, int vlan) {
        String name = vlanInterfaceName(master.name(), vlan);
        Optional<String> problem = io.netattach.cni.InterfaceName.problem(name);
        if (problem.isPresent()) {
            throw CniException.config("cannot attach to VLAN " + vlan + " of \"" + master.name()
                    + "\": the sub-interface name \"" + name + "\" is not a valid interface name: " + problem.get());
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            Optional<LinkInfo> existing = nl.linkByName(name);
            if (existing.isPresent()) {
                LinkInfo l = existing.get();
                if (!l.kind().equals("vlan") || l.vlanId() == null || l.vlanId() != vlan
                        || l.parentIndex() != master.index()) {
                    throw CniException.config("interface \"" + name + "\" exists but is not VLAN " + vlan + " of \""
                            + master.name() + "\" (kind \"" + l.kind() + "\", vlan " + l.vlanId() + ")");
                }
                if (!l.isUp()) {
                    nl.setLinkUp(l.index());
                }
                return nl.linkByIndex(l.index()).orElse(l);
            }
            try {
                nl.addVlan(new Netlink.VlanSpec(name, master.index(), vlan, master.mtu(), null, -1));
            } catch (LinuxException e) {
                if (e.errno() == Errno.EEXIST) {
                    continue; // created concurrently by another ADD: reuse it
                }
                if (e.errno() == Errno.EOPNOTSUPP || e.reason().contains("Unknown device type")) {
                    throw new CniException(CniError.CODE_INTERNAL, missingVlanSupportMessage(vlan, master.name()),
                            e.reason());
                }
                throw CniException.internal("failed to create VLAN interface \"" + name + "\": " + e.reason());
            }
            LinkInfo created = nl.linkByName(name).orElseThrow(() -> CniException.internal(
                    "VLAN interface \"" + name + "\" vanished after creation"));
            nl.setLinkUp(created.index());
            return created;
        }
        throw CniException.internal("failed to create or find VLAN interface \"" + name + "\"");
    }

    /** The message when the kernel cannot create 802.1Q links. */
    public static String missingVlanSupportMessage(int vlan, String master) {
        return "cannot create VLAN " + vlan + " on \"" + master + "\": this kernel has no 802.1Q VLAN support"
                + " (kernel module 8021q is not available; load it with 'modprobe 8021q' or use a kernel with"
                + " CONFIG_VLAN_8021Q)";
    }

    // ------------------------------------------------------------------ DEL

    @Override
    public void del(CniRequest request, NetConf conf) {
        MacvlanConfig cfg = load(request, conf);
        CniException ipamError = null;
        if (cfg.hasIpam()) {
            try {
                ipam.exec(Command.DEL, request, conf);
            } catch (CniException e) {
                ipamError = e; // reported after the link is gone: DEL is best effort
            }
        }
        deleteLink(request);
        if (ipamError != null) {
            throw ipamError;
        }
    }

    /**
     * The name the macvlan has in the pod between its creation and the rename to CNI_IFNAME: derived
     * from the container id and CNI_IFNAME (not random, as upstream's), so that a DEL after an ADD
     * killed in between finds and removes it, and the next ADD of the same attachment clears it.
     */
    static String temporaryName(CniRequest request) {
        return temporaryName(request.containerId(), request.ifname());
    }

    static String temporaryName(String containerId, String ifName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (containerId + "\0" + ifName).getBytes(StandardCharsets.UTF_8));
            return "mv" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static void deleteLink(CniRequest request) {
        if (request.netns().isEmpty()) {
            return;
        }
        Netns pod;
        try {
            pod = Netns.open(request.netns());
        } catch (NetnsException e) {
            if (e.kind() == NetnsException.Kind.MISSING) {
                return; // the container is gone, and the link with it
            }
            throw netnsError(e);
        }
        try (pod; Netlink nl = pod.netlink()) {
            for (String name : List.of(request.ifname(), temporaryName(request))) {
                Optional<LinkInfo> link = nl.linkByName(name);
                if (link.isEmpty()) {
                    continue;
                }
                try {
                    nl.deleteLink(link.get().index());
                } catch (LinuxException e) {
                    if (e.errno() != Errno.ENODEV) {
                        throw CniException.internal("failed to delete \"" + name + "\": " + e.reason());
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ CHECK

    @Override
    public void check(CniRequest request, NetConf conf) {
        MacvlanConfig cfg = load(request, conf);
        if (cfg.hasIpam()) {
            ipam.exec(Command.CHECK, request, conf);
        }
        Result prev = conf.parsedPrevResult().orElseThrow(() -> CniException.config("required prevResult missing"));
        String ifName = request.ifname();
        int ifIndex = -1;
        for (int i = 0; i < prev.interfaces().size(); i++) {
            Interface it = prev.interfaces().get(i);
            if (it.name().equals(ifName) && it.sandbox().equals(request.netns())) {
                ifIndex = i;
            }
        }
        if (ifIndex < 0) {
            throw CniException.config("interface \"" + ifName + "\" in netns \"" + request.netns()
                    + "\" is not in prevResult");
        }
        Interface expected = prev.interfaces().get(ifIndex);
        try (Netns pod = openNetns(request.netns()); Netlink podNl = pod.netlink()) {
            try (Netlink host = cfg.linkInContainer() ? pod.netlink() : Netlink.open()) {
                resolveMaster(host, cfg);
            }
            LinkInfo link = podNl.linkByName(ifName).orElseThrow(() -> CniException.internal(
                    "interface \"" + ifName + "\" not found in netns \"" + request.netns() + "\""));
            if (!link.kind().equals("macvlan")) {
                throw CniException.internal("interface \"" + ifName + "\" is of type \"" + link.kind()
                        + "\", not macvlan");
            }
            int mode = Netlink.macvlanMode(cfg.mode()).orElseThrow();
            if (link.macvlanMode() == null || link.macvlanMode() != mode) {
                throw CniException.internal("interface \"" + ifName + "\" has macvlan mode " + modeName(link.macvlanMode())
                        + ", expected " + cfg.mode());
            }
            if (!expected.mac().isEmpty() && !expected.mac().equalsIgnoreCase(link.mac())) {
                throw CniException.internal("interface \"" + ifName + "\" has MAC " + link.mac() + ", prevResult says "
                        + expected.mac());
            }
            List<AddressInfo> addresses = podNl.addresses(link.index(), Nl.AF_UNSPEC);
            for (IpConfig ip : prev.ips()) {
                if (ip.interfaceIndex() != null && ip.interfaceIndex() != ifIndex) {
                    continue;
                }
                boolean found = addresses.stream().anyMatch(a -> a.prefix().address().equals(ip.address().address())
                        && a.prefix().prefixLength() == ip.address().prefixLength());
                if (!found) {
                    throw CniException.internal("address " + ip.address() + " not found on \"" + ifName + "\"");
                }
            }
            InetAddress v4gw = prev.ips().stream().filter(IpConfig::isIpv4).map(IpConfig::gateway)
                    .filter(g -> g != null).findFirst().orElse(null);
            InetAddress v6gw = prev.ips().stream().filter(ip -> !ip.isIpv4()).map(IpConfig::gateway)
                    .filter(g -> g != null).findFirst().orElse(null);
            List<RouteInfo> kernel = new ArrayList<>(podNl.routes(Nl.AF_INET));
            kernel.addAll(podNl.routes(Nl.AF_INET6));
            for (Route r : prev.routes()) {
                int table = r.table() != null ? r.table() : Nl.RT_TABLE_MAIN;
                InetAddress familyGw = r.isIpv4() ? v4gw : v6gw;
                boolean found = kernel.stream().anyMatch(k -> k.dst().equals(r.dst().network()) && k.table() == table
                        && (r.gw() != null ? r.gw().equals(k.gateway())
                        : k.gateway() == null || k.gateway().equals(familyGw)));
                if (!found) {
                    throw CniException.internal("route " + r + " not found in netns \"" + request.netns() + "\"");
                }
            }
        } catch (NetnsException e) {
            throw netnsError(e);
        }
    }

    private static String modeName(Integer mode) {
        if (mode == null) {
            return "none";
        }
        return switch (mode) {
            case Nl.MACVLAN_MODE_BRIDGE -> "bridge";
            case Nl.MACVLAN_MODE_PRIVATE -> "private";
            case Nl.MACVLAN_MODE_VEPA -> "vepa";
            case Nl.MACVLAN_MODE_PASSTHRU -> "passthru";
            default -> String.valueOf(mode);
        };
    }

    // ------------------------------------------------------------------ STATUS

    @Override
    public void status(CniRequest request, NetConf conf) {
        MacvlanConfig cfg = load(request, conf);
        if (!cfg.linkInContainer()) {
            try (Netlink host = Netlink.open()) {
                if (cfg.master().isEmpty()) {
                    if (defaultRouteInterface(host).isEmpty()) {
                        throw new CniException(CniError.CODE_NOT_AVAILABLE,
                                "no default route interface found to use as master");
                    }
                } else if (host.linkByName(cfg.master()).isEmpty()) {
                    throw new CniException(CniError.CODE_NOT_AVAILABLE, "master interface \"" + cfg.master()
                            + "\" does not exist");
                }
            }
        }
        if (cfg.hasIpam()) {
            ipam.exec(Command.STATUS, request, conf);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static MacvlanConfig load(CniRequest request, NetConf conf) {
        return MacvlanConfig.load(conf.raw(), request.args()).orThrow();
    }

    private static Netns openNetns(String path) {
        try {
            return Netns.open(path);
        } catch (NetnsException e) {
            throw netnsError(e);
        }
    }

    private static void deleteQuietly(Netlink nl, int index) {
        try {
            nl.deleteLink(index);
        } catch (LinuxException e) {
            // already gone
        }
    }

    private static void setSysctlQuietly(String name, String value) {
        try {
            Sysctl.write(name, value);
        } catch (RuntimeException e) {
            // as the reference: best effort (IPv6 may be disabled)
        }
    }
}
