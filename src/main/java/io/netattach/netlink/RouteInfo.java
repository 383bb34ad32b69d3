package io.netattach.netlink;

import io.netattach.cni.IpPrefix;

import java.net.InetAddress;

/**
 * A kernel route: as read by {@link Netlink#routes} and as given to add/replace/delete.
 *
 * @param dst      destination; a default route is {@code 0.0.0.0/0} or {@code ::/0}
 * @param gateway  RTA_GATEWAY, null for a device route
 * @param oif      output interface index, 0 for none
 * @param table    routing table (254 main)
 * @param priority RTA_PRIORITY (the metric), null when absent
 * @param scope    RT_SCOPE_* ; for add, {@link #add} picks link when there is no gateway
 * @param protocol RTPROT_* (2 kernel, 3 boot, 4 static)
 * @param type     RTN_* (1 unicast)
 * @param mtu      RTAX_MTU metric, null when absent
 * @param advmss   RTAX_ADVMSS metric, null when absent
 */
public record RouteInfo(IpPrefix dst, InetAddress gateway, int oif, int table, Integer priority, int scope,
                        int protocol, int type, InetAddress prefsrc, Integer mtu, Integer advmss) {

    /**
     * A route to add in the main table on {@code oif}: universe scope via {@code gateway}, or a
     * link-scope device route when {@code gateway} is null (as {@code ip route add DST dev IF}).
     */
    public static RouteInfo add(IpPrefix dst, InetAddress gateway, int oif) {
        return new RouteInfo(dst.network(), gateway, oif, Nl.RT_TABLE_MAIN, null,
                gateway == null ? Nl.RT_SCOPE_LINK : Nl.RT_SCOPE_UNIVERSE, Nl.RTPROT_BOOT, Nl.RTN_UNICAST,
                null, null, null);
    }

    public RouteInfo withTable(int newTable) {
        return new RouteInfo(dst, gateway, oif, newTable, priority, scope, protocol, type, prefsrc, mtu, advmss);
    }

    public RouteInfo withPriority(Integer newPriority) {
        return new RouteInfo(dst, gateway, oif, table, newPriority, scope, protocol, type, prefsrc, mtu, advmss);
    }

    public RouteInfo withScope(int newScope) {
        return new RouteInfo(dst, gateway, oif, table, priority, newScope, protocol, type, prefsrc, mtu, advmss);
    }

    public RouteInfo withMetrics(Integer newMtu, Integer newAdvmss) {
        return new RouteInfo(dst, gateway, oif, table, priority, scope, protocol, type, prefsrc, newMtu, newAdvmss);
    }

    public boolean isIpv4() {
        return dst.isIpv4();
    }

    public boolean isDefault() {
        return dst.prefixLength() == 0;
    }

    public int family() {
        return dst.isIpv4() ? Nl.AF_INET : Nl.AF_INET6;
    }

    /** {@code 10.0.0.0/8 via 192.168.100.1 dev-index 3 table 254 metric 100}, for messages. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(dst.toString());
        if (gateway != null) {
            sb.append(" via ").append(IpPrefix.format(gateway));
        }
        if (table != Nl.RT_TABLE_MAIN) {
            sb.append(" table ").append(Integer.toUnsignedString(table));
        }
        if (priority != null) {
            sb.append(" metric ").append(Integer.toUnsignedString(priority));
        }
        return sb.toString();
    }
}
