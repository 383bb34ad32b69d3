package io.netattach.admission;

import io.netattach.cni.IpPrefix;
import io.netattach.plan.ClusterNetworks;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The cluster networks the webhook checks against right now: the configured ones
 * ({@code netattach.cluster.pod-networks}, {@code service-networks}) plus what each discovery source
 * reports (replaced whole on every update of that source). Read on every admission; updates are atomic.
 */
@Singleton
public class ClusterNetworkSource {

    /** What one source contributed. */
    public record Contribution(List<IpPrefix> podNetworks, List<IpPrefix> serviceNetworks) {
        public Contribution {
            podNetworks = List.copyOf(podNetworks);
            serviceNetworks = List.copyOf(serviceNetworks);
        }
    }

    private final ClusterNetworks.RoutePolicy policy;
    private final Map<String, Contribution> sources = new LinkedHashMap<>();
    /** Each discovery source's state as readiness shows it ("found: ...", "not found", "unreachable: ..."). */
    private final Map<String, String> states = new LinkedHashMap<>();
    /** Discovery sources followed by a watch (the others are re-read every refresh period). */
    private final java.util.Set<String> watched = new java.util.TreeSet<>();
    private final AtomicReference<ClusterNetworks> current = new AtomicReference<>(ClusterNetworks.NONE);

    @Inject
    public ClusterNetworkSource(ClusterConfig config) {
        this(ClusterNetworks.of(config.podNetworks().orElse(""), config.serviceNetworks().orElse(""),
                ClusterNetworks.policy(config.routePolicy())));
    }

    public ClusterNetworkSource(ClusterNetworks configured) {
        this.policy = configured.routePolicy();
        if (!configured.isEmpty()) {
            sources.put("configuration", new Contribution(configured.podNetworks(), configured.serviceNetworks()));
        }
        recompute();
    }

    public ClusterNetworks current() {
        return current.get();
    }

    /** Sets (or, with null, removes) what {@code source} reports. */
    public synchronized void update(String source, Contribution contribution) {
        if (contribution == null || (contribution.podNetworks().isEmpty() && contribution.serviceNetworks().isEmpty())) {
            sources.remove(source);
        } else {
            sources.put(source, contribution);
        }
        recompute();
    }

    /**
     * Sets what is true of discovery source {@code source} now, for readiness: {@code not read yet},
     * {@code found: pod ..., service ...}, {@code not found ...}, {@code malformed: ...},
     * {@code unreachable: <reason>} (never read), {@code found: ... (last read failed, kept: <reason>)}.
     */
    public synchronized void state(String source, String text) {
        states.put(source, text);
    }

    /** Every discovery source with its state, in the order they were first reported. */
    public synchronized Map<String, String> states() {
        return new LinkedHashMap<>(states);
    }

    /** Sources that give nothing, with their state (not found, malformed, unreachable, not read yet). */
    public synchronized Map<String, String> notFound() {
        Map<String, String> out = new LinkedHashMap<>(states);
        out.keySet().removeAll(sources.keySet());
        return out;
    }

    /** Whether discovery source {@code source} is followed by an open watch. */
    public synchronized void watched(String source, boolean watching) {
        if (watching) {
            watched.add(source);
        } else {
            watched.remove(source);
        }
    }

    /** The discovery sources followed by a watch, sorted. */
    public synchronized java.util.Set<String> watched() {
        return new java.util.TreeSet<>(watched);
    }

    /** {@code source -> "pod 10.128.0.0/14, service 172.30.0.0/16"}, for health and logs. */
    public synchronized Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        sources.forEach((k, v) -> {
            List<String> parts = new ArrayList<>();
            v.podNetworks().forEach(p -> parts.add("pod " + p));
            v.serviceNetworks().forEach(p -> parts.add("service " + p));
            out.put(k, String.join(", ", parts));
        });
        return out;
    }

    private void recompute() {
        List<IpPrefix> pods = new ArrayList<>();
        List<IpPrefix> services = new ArrayList<>();
        for (Contribution c : sources.values()) {
            pods.addAll(c.podNetworks());
            services.addAll(c.serviceNetworks());
        }
        current.set(new ClusterNetworks(pods, services, policy));
    }
}
