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
    private final Map<String, String> notes = new LinkedHashMap<>();
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

    /** Sets (or, with null, clears) why {@code source} gives nothing ("not found", "malformed: ..."). */
    public synchronized void note(String source, String text) {
        if (text == null) {
            notes.remove(source);
        } else {
            notes.put(source, text);
        }
    }

    /** Sources that give nothing, with the reason, for health. */
    public synchronized Map<String, String> notFound() {
        Map<String, String> out = new LinkedHashMap<>(notes);
        out.keySet().removeAll(sources.keySet());
        return out;
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
