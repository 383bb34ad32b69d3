package io.netattach.netlink;

import io.netattach.cni.IpPrefix;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Typed rtnetlink verbs over one socket, which lives in one network namespace: links, addresses,
 * routes. Open with {@link #open()} (the caller's namespace) or {@link Netns#netlink()}.
 * Failures throw {@link LinuxException} with the errno and the kernel's extended-ack text; lookups
 * of absent objects return {@link Optional#empty()}.
 *
 * <p>The static {@code encode*} methods build the exact request bytes (unit-tested without root).
 */
public final class Netlink implements AutoCloseable {
    private final NetlinkConnection connection;

    public Netlink(NetlinkConnection connection) {
        this.connection = connection;
    }

    /** A handle on a new socket in the calling thread's network namespace. */
    public static Netlink open() {
        return new Netlink(new NetlinkConnection(NetlinkSocket.open()));
    }

    @Override
    public void close() {
        connection.close();
    }

    // ------------------------------------------------------------------ links

    /** Parameters of a new macvlan link. {@code netnsFd} -1 creates it in the handle's namespace. */
    public record MacvlanSpec(String name, int parentIndex, int mode, int mtu, String mac, int netnsFd) {
        /** Bridge mode, default MTU, kernel-chosen MAC, created in the namespace {@code netnsFd}. */
        public static MacvlanSpec bridge(String name, int parentIndex, int netnsFd) {
            return new MacvlanSpec(name, parentIndex, Nl.MACVLAN_MODE_BRIDGE, 0, null, netnsFd);
        }
    }

    /** Parameters of a new 802.1Q link. {@code netnsFd} -1 creates it in the handle's namespace. */
    public record VlanSpec(String name, int parentIndex, int vlanId, int mtu, String mac, int netnsFd) {
    }

    /** The macvlan mode number of {@code bridge}, {@code private}, {@code vepa}, {@code passthru}, {@code source}. */
    public static Optional<Integer> macvlanMode(String name) {
        return Optional.ofNullable(switch (name) {
            case "", "bridge" -> Nl.MACVLAN_MODE_BRIDGE;
            case "private" -> Nl.MACVLAN_MODE_PRIVATE;
            case "vepa" -> Nl.MACVLAN_MODE_VEPA;
            case "passthru" -> Nl.MACVLAN_MODE_PASSTHRU;
            case "source" -> Nl.MACVLAN_MODE_SOURCE;
            default -> null;
        });
    }

    public List<LinkInfo> links() {
        MessageBuilder m = new MessageBuilder(Nl.RTM_GETLINK, 0).ifinfomsg(Nl.AF_UNSPEC, 0, 0, 0, 0)
                .attrU32(Nl.IFLA_EXT_MASK, Nl.RTEXT_FILTER_VF);
        List<LinkInfo> out = new ArrayList<>();
        for (Message msg : connection.dump(m, "RTM_GETLINK")) {
            if (msg.type() == Nl.RTM_NEWLINK) {
                out.add(decodeLink(msg.payload()));
            }
        }
        return out;
    }

    /** The link named {@code name}, empty when there is none. */
    public Optional<LinkInfo> linkByName(String name) {
        MessageBuilder m = new MessageBuilder(Nl.RTM_GETLINK, 0).ifinfomsg(Nl.AF_UNSPEC, 0, 0, 0, 0)
                .attrString(Nl.IFLA_IFNAME, name);
        return getLink(m, "RTM_GETLINK " + name);
    }

    public Optional<LinkInfo> linkByIndex(int index) {
        MessageBuilder m = new MessageBuilder(Nl.RTM_GETLINK, 0).ifinfomsg(Nl.AF_UNSPEC, 0, index, 0, 0);
        return getLink(m, "RTM_GETLINK " + index);
    }

    private Optional<LinkInfo> getLink(MessageBuilder m, String op) {
        try {
            for (Message msg : connection.execute(m, op)) {
                if (msg.type() == Nl.RTM_NEWLINK) {
                    return Optional.of(decodeLink(msg.payload()));
                }
            }
            return Optional.empty();
        } catch (LinuxException e) {
            if (e.errno() == Errno.ENODEV) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Index of {@code name} (as if_nametoindex), empty when absent. */
    public Optional<Integer> indexOf(String name) {
        return linkByName(name).map(LinkInfo::index);
    }

    public void addMacvlan(MacvlanSpec spec) {
        connection.execute(encodeAddMacvlan(spec), "RTM_NEWLINK macvlan " + spec.name());
    }

    /** A macvlan with IFLA_MACVLAN_BC_QUEUE_LEN (broadcast queue length, kernel 5.11+). */
    public void addMacvlan(MacvlanSpec spec, long bcQueueLen) {
        connection.execute(encodeAddMacvlan(spec, bcQueueLen), "RTM_NEWLINK macvlan " + spec.name());
    }

    public void addVlan(VlanSpec spec) {
        connection.execute(encodeAddVlan(spec), "RTM_NEWLINK vlan " + spec.name());
    }

    /** A veth pair; the peer is created in namespace {@code peerNetnsFd} (-1: this handle's namespace). */
    public void addVeth(String name, String peerName, int peerNetnsFd) {
        connection.execute(encodeAddVeth(name, peerName, peerNetnsFd), "RTM_NEWLINK veth " + name);
    }

    public void deleteLink(int index) {
        MessageBuilder m = new MessageBuilder(Nl.RTM_DELLINK, 0).ifinfomsg(Nl.AF_UNSPEC, 0, index, 0, 0);
        connection.execute(m, "RTM_DELLINK");
    }

    public void setLinkName(int index, String name) {
        connection.execute(setLink(index, 0, 0).attrString(Nl.IFLA_IFNAME, name), "RTM_NEWLINK rename");
    }

    public void setLinkUp(int index) {
        connection.execute(setLink(index, Nl.IFF_UP, Nl.IFF_UP), "RTM_NEWLINK up");
    }

    public void setLinkDown(int index) {
        connection.execute(setLink(index, 0, Nl.IFF_UP), "RTM_NEWLINK down");
    }

    public void setLinkMtu(int index, int mtu) {
        connection.execute(setLink(index, 0, 0).attrU32(Nl.IFLA_MTU, mtu), "RTM_NEWLINK mtu");
    }

    public void setLinkMac(int index, String mac) {
        connection.execute(setLink(index, 0, 0).attr(Nl.IFLA_ADDRESS, macBytes(mac)), "RTM_NEWLINK address");
    }

    /** Moves the link into the namespace {@code netnsFd}. */
    public void setLinkNetns(int index, int netnsFd) {
        connection.execute(setLink(index, 0, 0).attrU32(Nl.IFLA_NET_NS_FD, netnsFd), "RTM_NEWLINK netns");
    }

    private static MessageBuilder setLink(int index, int flags, int change) {
        return new MessageBuilder(Nl.RTM_NEWLINK, 0).ifinfomsg(Nl.AF_UNSPEC, 0, index, flags, change);
    }

    private static byte[] macBytes(String mac) {
        return LinkInfo.parseMac(mac).orElseThrow(() -> new IllegalArgumentException("invalid MAC \"" + mac + "\""));
    }

    public static MessageBuilder encodeAddMacvlan(MacvlanSpec s) {
        return encodeAddMacvlan(s, -1);
    }

    /** {@code bcQueueLen} &lt; 0: not sent (kernel default). */
    public static MessageBuilder encodeAddMacvlan(MacvlanSpec s, long bcQueueLen) {
        MessageBuilder m = newLink(s.name(), s.parentIndex(), s.mtu(), s.mac(), s.netnsFd());
        int info = m.beginNested(Nl.IFLA_LINKINFO);
        m.attr(Nl.IFLA_INFO_KIND, kind("macvlan"));
        int data = m.beginNested(Nl.IFLA_INFO_DATA);
        m.attrU32(Nl.IFLA_MACVLAN_MODE, s.mode());
        if (bcQueueLen >= 0) {
            m.attrU32(Nl.IFLA_MACVLAN_BC_QUEUE_LEN, (int) bcQueueLen);
        }
        m.endNested(data);
        return m.endNested(info);
    }

    public static MessageBuilder encodeAddVlan(VlanSpec s) {
        MessageBuilder m = newLink(s.name(), s.parentIndex(), s.mtu(), s.mac(), s.netnsFd());
        int info = m.beginNested(Nl.IFLA_LINKINFO);
        m.attr(Nl.IFLA_INFO_KIND, kind("vlan"));
        int data = m.beginNested(Nl.IFLA_INFO_DATA);
        m.attrU16(Nl.IFLA_VLAN_ID, s.vlanId());
        m.endNested(data);
        return m.endNested(info);
    }

    public static MessageBuilder encodeAddVeth(String name, String peerName, int peerNetnsFd) {
        MessageBuilder m = newLink(name, 0, 0, null, -1);
        int info = m.beginNested(Nl.IFLA_LINKINFO);
        m.attr(Nl.IFLA_INFO_KIND, kind("veth"));
        int data = m.beginNested(Nl.IFLA_INFO_DATA);
        int peer = m.beginNested(Nl.VETH_INFO_PEER);
        m.ifinfomsg(Nl.AF_UNSPEC, 0, 0, 0, 0);
        m.attrString(Nl.IFLA_IFNAME, peerName);
        if (peerNetnsFd >= 0) {
            m.attrU32(Nl.IFLA_NET_NS_FD, peerNetnsFd);
        }
        m.endNested(peer);
        m.endNested(data);
        return m.endNested(info);
    }

    /** IFLA_INFO_KIND is sent without a trailing NUL, as iproute2 does. */
    private static byte[] kind(String kind) {
        return kind.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static MessageBuilder newLink(String name, int parentIndex, int mtu, String mac, int netnsFd) {
        MessageBuilder m = new MessageBuilder(Nl.RTM_NEWLINK, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL)
                .ifinfomsg(Nl.AF_UNSPEC, 0, 0, 0, 0);
        if (parentIndex > 0) {
            m.attrU32(Nl.IFLA_LINK, parentIndex);
        }
        m.attrString(Nl.IFLA_IFNAME, name);
        if (mtu > 0) {
            m.attrU32(Nl.IFLA_MTU, mtu);
        }
        if (mac != null && !mac.isEmpty()) {
            m.attr(Nl.IFLA_ADDRESS, macBytes(mac));
        }
        if (netnsFd >= 0) {
            m.attrU32(Nl.IFLA_NET_NS_FD, netnsFd);
        }
        return m;
    }

    static LinkInfo decodeLink(ByteBuffer p) {
        requireLength(p, Nl.IFINFOMSG_LEN, "RTM_NEWLINK");
        int type = p.getShort(2) & 0xffff;
        int index = p.getInt(4);
        int flags = p.getInt(8);
        Attributes a = Attributes.parse(p, Nl.IFINFOMSG_LEN);
        Optional<Attributes> info = a.nested(Nl.IFLA_LINKINFO);
        String kind = info.flatMap(i -> i.string(Nl.IFLA_INFO_KIND)).orElse("");
        Optional<Attributes> data = info.flatMap(i -> i.nested(Nl.IFLA_INFO_DATA));
        Integer macvlanMode = kind.equals("macvlan") ? data.flatMap(d -> d.u32(Nl.IFLA_MACVLAN_MODE)).orElse(null) : null;
        Integer vlanId = kind.equals("vlan") ? data.flatMap(d -> d.u16(Nl.IFLA_VLAN_ID)).orElse(null) : null;
        return new LinkInfo(index, a.string(Nl.IFLA_IFNAME).orElse(""), flags, a.u32(Nl.IFLA_MTU).orElse(0),
                a.bytes(Nl.IFLA_ADDRESS).map(LinkInfo::formatMac).orElse(""), kind,
                a.u32(Nl.IFLA_LINK).orElse(0), a.u32(Nl.IFLA_MASTER).orElse(0),
                a.u8(Nl.IFLA_OPERSTATE).orElse(0), macvlanMode, vlanId);
    }

    // -------------------------------------------------------------- addresses

    /** Adds {@code prefix} (host bits = the address) to the link; IPv4 gets the broadcast address. */
    public void addAddress(int index, IpPrefix prefix) {
        connection.execute(encodeAddress(Nl.RTM_NEWADDR, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, index, prefix),
                "RTM_NEWADDR " + prefix);
    }

    public void deleteAddress(int index, IpPrefix prefix) {
        connection.execute(encodeAddress(Nl.RTM_DELADDR, 0, index, prefix), "RTM_DELADDR " + prefix);
    }

    public static MessageBuilder encodeAddress(int type, int flags, int index, IpPrefix prefix) {
        int family = prefix.isIpv4() ? Nl.AF_INET : Nl.AF_INET6;
        MessageBuilder m = new MessageBuilder(type, flags)
                .ifaddrmsg(family, prefix.prefixLength(), 0, Nl.RT_SCOPE_UNIVERSE, index);
        byte[] local = prefix.address().getAddress();
        m.attr(Nl.IFA_LOCAL, local);
        m.attr(Nl.IFA_ADDRESS, local);
        if (type == Nl.RTM_NEWADDR) {
            prefix.broadcast().ifPresent(b -> m.attr(Nl.IFA_BROADCAST, b.getAddress()));
        }
        return m;
    }

    /** Addresses of link {@code index} (0: all links) of family AF_INET/AF_INET6 (AF_UNSPEC: both). */
    public List<AddressInfo> addresses(int index, int family) {
        MessageBuilder m = new MessageBuilder(Nl.RTM_GETADDR, 0).ifaddrmsg(family, 0, 0, 0, 0);
        List<AddressInfo> out = new ArrayList<>();
        for (Message msg : connection.dump(m, "RTM_GETADDR")) {
            if (msg.type() != Nl.RTM_NEWADDR) {
                continue;
            }
            AddressInfo a = decodeAddress(msg.payload());
            if (a != null && (index == 0 || a.index() == index)) {
                out.add(a);
            }
        }
        return out;
    }

    static AddressInfo decodeAddress(ByteBuffer p) {
        requireLength(p, Nl.IFADDRMSG_LEN, "RTM_NEWADDR");
        int prefixLength = p.get(1) & 0xff;
        int flags = p.get(2) & 0xff;
        int scope = p.get(3) & 0xff;
        int index = p.getInt(4);
        Attributes a = Attributes.parse(p, Nl.IFADDRMSG_LEN);
        Optional<InetAddress> address = a.address(Nl.IFA_LOCAL).or(() -> a.address(Nl.IFA_ADDRESS));
        if (address.isEmpty()) {
            return null;
        }
        flags = a.u32(Nl.IFA_FLAGS).orElse(flags);
        if (prefixLength > IpPrefix.bits(address.get())) {
            throw NetlinkConnection.malformed("RTM_NEWADDR", "prefix length " + prefixLength + " for " + IpPrefix.format(address.get()));
        }
        return new AddressInfo(index, new IpPrefix(address.get(), prefixLength), scope, flags,
                a.string(Nl.IFA_LABEL).orElse(""));
    }

    // ----------------------------------------------------------------- routes

    /** Adds a route; fails with EEXIST when an equal route exists. */
    public void addRoute(RouteInfo route) {
        connection.execute(encodeRoute(Nl.RTM_NEWROUTE, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, route),
                "RTM_NEWROUTE " + route);
    }

    /** Adds or replaces a route. */
    public void replaceRoute(RouteInfo route) {
        connection.execute(encodeRoute(Nl.RTM_NEWROUTE, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE, route),
                "RTM_NEWROUTE " + route);
    }

    /**
     * Deletes the route matching dst, table and (when set) oif, gateway and priority; scope and
     * protocol are not matched. ESRCH when there is none.
     */
    public void deleteRoute(RouteInfo route) {
        connection.execute(encodeRoute(Nl.RTM_DELROUTE, 0, route), "RTM_DELROUTE " + route);
    }

    public static MessageBuilder encodeRoute(int type, int flags, RouteInfo r) {
        boolean delete = type == Nl.RTM_DELROUTE;
        int table = r.table();
        MessageBuilder m = new MessageBuilder(type, flags).rtmsg(r.family(), r.dst().prefixLength(), 0, 0,
                Integer.compareUnsigned(table, 256) < 0 ? table : Nl.RT_TABLE_UNSPEC,
                delete ? Nl.RTPROT_UNSPEC : r.protocol(),
                delete ? Nl.RT_SCOPE_NOWHERE : r.scope(),
                delete ? 0 : r.type(), 0);
        if (Integer.compareUnsigned(table, 256) >= 0) {
            m.attrU32(Nl.RTA_TABLE, table);
        }
        if (r.dst().prefixLength() > 0) {
            m.attr(Nl.RTA_DST, r.dst().network().address().getAddress());
        }
        if (r.gateway() != null) {
            m.attr(Nl.RTA_GATEWAY, r.gateway().getAddress());
        }
        if (r.prefsrc() != null) {
            m.attr(Nl.RTA_PREFSRC, r.prefsrc().getAddress());
        }
        if (r.priority() != null) {
            m.attrU32(Nl.RTA_PRIORITY, r.priority());
        }
        if (r.oif() > 0) {
            m.attrU32(Nl.RTA_OIF, r.oif());
        }
        if (!delete && (r.mtu() != null || r.advmss() != null)) {
            int metrics = m.beginNested(Nl.RTA_METRICS);
            if (r.mtu() != null) {
                m.attrU32(Nl.RTAX_MTU, r.mtu());
            }
            if (r.advmss() != null) {
                m.attrU32(Nl.RTAX_ADVMSS, r.advmss());
            }
            m.endNested(metrics);
        }
        return m;
    }

    /** All unicast routes of {@code family} (AF_INET or AF_INET6) in every table. */
    public List<RouteInfo> routes(int family) {
        MessageBuilder m = new MessageBuilder(Nl.RTM_GETROUTE, 0).rtmsg(family, 0, 0, 0, 0, 0, 0, 0, 0);
        List<RouteInfo> out = new ArrayList<>();
        for (Message msg : connection.dump(m, "RTM_GETROUTE")) {
            if (msg.type() == Nl.RTM_NEWROUTE) {
                RouteInfo r = decodeRoute(msg.payload());
                if (r != null) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** Routes of {@code family} in {@code table} (254 main) whose output interface is {@code oif} (0: any). */
    public List<RouteInfo> routes(int family, int table, int oif) {
        return routes(family).stream().filter(r -> r.table() == table && (oif == 0 || r.oif() == oif)).toList();
    }

    static RouteInfo decodeRoute(ByteBuffer p) {
        requireLength(p, Nl.RTMSG_LEN, "RTM_NEWROUTE");
        int family = p.get(0) & 0xff;
        if (family != Nl.AF_INET && family != Nl.AF_INET6) {
            return null;
        }
        int dstLength = p.get(1) & 0xff;
        int table = p.get(4) & 0xff;
        int protocol = p.get(5) & 0xff;
        int scope = p.get(6) & 0xff;
        int type = p.get(7) & 0xff;
        Attributes a = Attributes.parse(p, Nl.RTMSG_LEN);
        table = a.u32(Nl.RTA_TABLE).orElse(table);
        InetAddress dst = a.address(Nl.RTA_DST).orElseGet(() -> zero(family));
        Optional<Attributes> metrics = a.nested(Nl.RTA_METRICS);
        if (dstLength > IpPrefix.bits(dst)) {
            throw NetlinkConnection.malformed("RTM_NEWROUTE", "destination length " + dstLength + " for " + IpPrefix.format(dst));
        }
        return new RouteInfo(new IpPrefix(dst, dstLength), a.address(Nl.RTA_GATEWAY).orElse(null),
                a.u32(Nl.RTA_OIF).orElse(0), table, a.u32(Nl.RTA_PRIORITY).orElse(null), scope, protocol, type,
                a.address(Nl.RTA_PREFSRC).orElse(null),
                metrics.flatMap(x -> x.u32(Nl.RTAX_MTU)).orElse(null),
                metrics.flatMap(x -> x.u32(Nl.RTAX_ADVMSS)).orElse(null));
    }

    /** A reply payload too short for its family header is EPROTO (the kernel never sends one). */
    private static void requireLength(ByteBuffer p, int header, String what) {
        if (p.limit() < header) {
            throw NetlinkConnection.malformed(what, "payload of " + p.limit() + " bytes, the header needs " + header);
        }
    }

    private static InetAddress zero(int family) {
        try {
            return InetAddress.getByAddress(new byte[family == Nl.AF_INET ? 4 : 16]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** AF_INET or AF_INET6 of an address. */
    public static int family(InetAddress address) {
        return address instanceof Inet4Address ? Nl.AF_INET : Nl.AF_INET6;
    }
}
