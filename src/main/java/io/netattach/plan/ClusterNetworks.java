package io.netattach.plan;

import io.netattach.cni.IpPrefix;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's own networks, which secondary networks must not take over: the pod networks
 * (cluster CIDRs, node pod CIDRs) and the service networks, and what a route covering one of them is.
 *
 * @param podNetworks     pod network CIDRs ({@code netattach.cluster.pod-networks}, or discovered)
 * @param serviceNetworks service network CIDRs ({@code netattach.cluster.service-networks}, or discovered)
 * @param otherNetworks   cluster networks of no stated kind ({@code lint --cluster-networks})
 * @param routePolicy     {@link RoutePolicy#WARN}: a route covering a cluster network is a warning;
 *                        {@link RoutePolicy#DENY}: an error ({@code netattach.cluster.route-policy})
 */
public record ClusterNetworks(List<IpPrefix> podNetworks, List<IpPrefix> serviceNetworks, List<IpPrefix> otherNetworks,
                              RoutePolicy routePolicy) {

    /** What a route that covers a cluster network is. */
    public enum RoutePolicy { WARN, DENY }

    public static final ClusterNetworks NONE = new ClusterNetworks(List.of(), List.of(), RoutePolicy.WARN);

    /** OpenShift's defaults: clusterNetwork 10.128.0.0/14, serviceNetwork 172.30.0.0/16. */
    public static final ClusterNetworks OPENSHIFT_DEFAULTS = of("10.128.0.0/14", "172.30.0.0/16", RoutePolicy.WARN);

    public ClusterNetworks {
        podNetworks = List.copyOf(new LinkedHashSet<>(podNetworks.stream().map(IpPrefix::network).toList()));
        serviceNetworks = List.copyOf(new LinkedHashSet<>(serviceNetworks.stream().map(IpPrefix::network).toList()));
        otherNetworks = List.copyOf(new LinkedHashSet<>(otherNetworks.stream().map(IpPrefix::network).toList()));
    }

    public ClusterNetworks(List<IpPrefix> podNetworks, List<IpPrefix> serviceNetworks, RoutePolicy routePolicy) {
        this(podNetworks, serviceNetworks, List.of(), routePolicy);
    }

    /** From comma-separated CIDR lists; throws {@link IllegalArgumentException} naming a bad entry. */
    public static ClusterNetworks of(String podNetworks, String serviceNetworks, RoutePolicy policy) {
        return new ClusterNetworks(parseList(podNetworks, "pod network"), parseList(serviceNetworks, "service network"),
                policy);
    }

    /** {@code "10.128.0.0/14, fd01::/48"} -> prefixes; blank -> none. */
    public static List<IpPrefix> parseList(String text, String what) {
        List<IpPrefix> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String item : text.split(",")) {
            String s = item.strip();
            if (s.isEmpty()) {
                continue;
            }
            Optional<IpPrefix> p = IpPrefix.parse(s);
            if (p.isEmpty()) {
                throw new IllegalArgumentException(what + " \"" + s + "\" is not a CIDR (e.g. 10.128.0.0/14)");
            }
            out.add(p.get());
        }
        return out;
    }

    public static RoutePolicy policy(String text) {
        return switch (text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "", "warn" -> RoutePolicy.WARN;
            case "deny" -> RoutePolicy.DENY;
            default -> throw new IllegalArgumentException("route policy \"" + text + "\" is not warn or deny");
        };
    }

    public boolean isEmpty() {
        return podNetworks.isEmpty() && serviceNetworks.isEmpty() && otherNetworks.isEmpty();
    }

    /** Every cluster network with its kind, pod networks first. */
    public List<Named> all() {
        List<Named> out = new ArrayList<>();
        podNetworks.forEach(p -> out.add(new Named(p, "pod network")));
        serviceNetworks.forEach(p -> out.add(new Named(p, "service network")));
        otherNetworks.forEach(p -> out.add(new Named(p, "network")));
        return out;
    }

    /** Whether any cluster network is of the family of {@code ipv4}. */
    public boolean hasFamily(boolean ipv4) {
        return all().stream().anyMatch(n -> n.prefix().isIpv4() == ipv4);
    }

    public ClusterNetworks withPolicy(RoutePolicy policy) {
        return new ClusterNetworks(podNetworks, serviceNetworks, otherNetworks, policy);
    }

    /** One cluster network and what it is ({@code pod network}, {@code service network}). */
    public record Named(IpPrefix prefix, String kind) {
        @Override
        public String toString() {
            return kind + " " + prefix;
        }
    }

    /** Whether {@code route} is equal to or less specific than {@code network} and contains it. */
    public static boolean covers(IpPrefix route, IpPrefix network) {
        return route.isIpv4() == network.isIpv4() && route.prefixLength() <= network.prefixLength()
                && route.network().contains(network.address());
    }
}
