package io.netattach.plan;

import io.netattach.cni.IpPrefix;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One route of the pod's routing table as the plugins leave it.
 *
 * @param dst     destination, host bits cleared
 * @param gateway next hop, null for a device (link-scope) route
 * @param dev     the interface
 * @param metric  priority; null when not set (the kernel's default: 0 for IPv4, 1024 for IPv6)
 * @param table   routing table (254 = main)
 * @param origin  what puts it there
 * @param src     preferred source of a connected route (IPv4), null otherwise or when unknown
 * @param element annotation element of the network that adds it (-1 for the cluster network's)
 * @param network the NAD that adds it ({@code namespace/name}), or {@code cluster network}
 * @param source  JSON pointer into the NAD's config of the entry that asks for it
 *                ({@code /plugins/1/addroutes/0}), empty when none
 */
public record PlannedRoute(IpPrefix dst, InetAddress gateway, String dev, Integer metric, int table, Origin origin,
                           InetAddress src, int element, String network, String source) {

    public static final int MAIN = 254;

    /** Where a route comes from. */
    public enum Origin {
        /** the kernel's prefix route for an address ({@code proto kernel scope link}) */
        CONNECTED,
        /** an IPAM result route, added by the interface's plugin */
        IPAM,
        /** a route-override {@code addroutes} entry */
        ROUTE_OVERRIDE,
        /** the annotation's {@code default-route}, added by Multus */
        DEFAULT_ROUTE,
        /** the cluster network's default route on eth0 (not shown; Multus removes it when a default-route is requested) */
        CLUSTER_DEFAULT
    }

    public PlannedRoute {
        dst = dst.network();
    }

    public boolean isDefault() {
        return dst.prefixLength() == 0;
    }

    public boolean isIpv4() {
        return dst.isIpv4();
    }

    /** The metric the kernel uses when none is given. */
    public int effectiveMetric() {
        if (metric != null) {
            return metric;
        }
        if (isIpv4()) {
            return 0;
        }
        return origin == Origin.CONNECTED ? 256 : 1024;
    }

    /**
     * A link-scope route: connected, or a device route without gateway added by route-override; an
     * IPAM route without any gateway is added by macvlan with universe scope.
     */
    public boolean linkScope() {
        return gateway == null && origin != Origin.IPAM;
    }

    /** Whether adding {@code other} fails with EEXIST because of this route (same table, destination, metric). */
    public boolean clashes(PlannedRoute other) {
        return table == other.table && dst.equals(other.dst) && effectiveMetric() == other.effectiveMetric();
    }

    /** Same route as the kernel compares for "already there": destination, gateway, device, table, metric. */
    public boolean sameAs(PlannedRoute other) {
        return clashes(other) && Objects.equals(gateway, other.gateway) && dev.equals(other.dev);
    }

    /** The line {@code ip route} (IPv4) or {@code ip -6 route} prints for it. */
    public String ipRouteLine() {
        StringBuilder sb = new StringBuilder();
        sb.append(isDefault() ? "default" : dst.toString());
        if (gateway != null) {
            sb.append(" via ").append(IpPrefix.format(gateway));
        }
        sb.append(" dev ").append(dev);
        if (table != MAIN) {
            sb.append(" table ").append(Integer.toUnsignedString(table));
        }
        if (origin == Origin.CONNECTED) {
            sb.append(" proto kernel");
        }
        if (linkScope() && isIpv4()) {
            sb.append(" scope link");
        }
        if (src != null && isIpv4()) {
            sb.append(" src ").append(IpPrefix.format(src));
        }
        if (metric != null || !isIpv4()) {
            sb.append(" metric ").append(Integer.toUnsignedString(effectiveMetric()));
        }
        if (!isIpv4()) {
            sb.append(" pref medium");
        }
        return sb.toString();
    }

    /** {@code 10.0.0.0/8 via 192.168.100.1 dev eth1} for messages. */
    public String describe() {
        return (isDefault() ? "default" : dst.toString()) + (gateway == null ? "" : " via " + IpPrefix.format(gateway))
                + " dev " + dev + (table != MAIN ? " table " + Integer.toUnsignedString(table) : "")
                + (metric != null ? " metric " + Integer.toUnsignedString(metric) : "");
    }

    /** {@code management-net (eth1)}: who adds it. */
    public String owner() {
        return origin == Origin.CLUSTER_DEFAULT ? "the cluster network (eth0)" : network + " (" + dev + ")";
    }
}
