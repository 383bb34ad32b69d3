package io.netattach.admission;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * {@code netattach.cluster.*}: the cluster's own networks, against which NADs and pods are checked
 * (io.netattach.plan). Configured networks are used as given; with {@code discover} (default), the
 * sources found in the cluster are added and kept current (see {@link ClusterNetworkSource}).
 */
@ConfigMapping(prefix = "netattach.cluster")
public interface ClusterConfig {

    /** Pod network CIDRs, comma-separated (e.g. {@code 10.128.0.0/14}). */
    Optional<String> podNetworks();

    /** Service network CIDRs, comma-separated (e.g. {@code 172.30.0.0/16}). */
    Optional<String> serviceNetworks();

    /** {@code warn} (default): a route covering a cluster network is a warning; {@code deny}: an error. */
    @WithDefault("warn")
    String routePolicy();

    /** Discover the cluster networks from the API server (OpenShift Network, kubeadm-config, Node podCIDRs). */
    @WithDefault("true")
    boolean discover();

    /**
     * How often every discovery source is read again: the only re-read of kubeadm-config, the fallback
     * of the watched sources (Nodes, OpenShift Network).
     */
    @WithDefault("5m")
    java.time.Duration refreshPeriod();
}
