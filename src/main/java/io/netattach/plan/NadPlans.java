package io.netattach.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.netattach.cni.IpPrefix;
import io.netattach.injection.NadInfo;
import io.netattach.cni.Finding;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plan's checks of one NetworkAttachmentDefinition at its admission (and in {@code lint}):
 * against the cluster's networks (addresses and subnets inside one: error; routes covering one:
 * warning, error with route policy deny), route conflicts inside its own chain, and static
 * addresses that another NAD on the same master and VLAN also hands out (warning). Findings point
 * into the NAD ({@code /spec/config/...}). Pure; never throws.
 */
public final class NadPlans {

    private NadPlans() {
    }

    /** Cluster and in-chain findings of {@code nad} (a NAD object); none when it has no readable config. */
    public static List<Finding> check(JsonNode nad, ClusterNetworks cluster) {
        Optional<NetworkPlan> plan = plan(nad, cluster);
        return plan.map(NetworkPlan::findings).orElse(List.of());
    }

    /** The plan of {@code nad} alone (one interface, named by its {@code netattach.io/interface} or net1). */
    public static Optional<NetworkPlan> plan(JsonNode nad, ClusterNetworks cluster) {
        if (nad == null || !nad.isObject()) {
            return Optional.empty();
        }
        JsonNode config = nad.path("spec").get("config");
        if (config == null || !config.isTextual() || config.asText().isBlank()) {
            return Optional.empty();
        }
        String key = nad.path("metadata").path("namespace").asText("default") + "/"
                + nad.path("metadata").path("name").asText("");
        String ifName = nad.path("metadata").path("annotations").path(NadInfo.INTERFACE).asText("net1");
        try {
            return Optional.of(Planner.planNad(key, ifName, config.asText(), cluster));
        } catch (RuntimeException e) {
            return Optional.empty(); // a config the plan cannot read is the validator's to report
        }
    }

    /**
     * Static addresses of {@code nad} that another NAD of {@code others} hands out on the same master and
     * VLAN (one layer-2 segment): warnings, since two pods answer ARP for one address.
     */
    public static List<Finding> sharedSegment(JsonNode nad, Collection<NadInfo> others) {
        Optional<NetworkPlan> plan = plan(nad, ClusterNetworks.NONE);
        if (plan.isEmpty() || plan.get().interfaces().isEmpty()) {
            return List.of();
        }
        PlannedInterface mine = plan.get().interfaces().getFirst();
        if (!mine.type().equals("macvlan") || mine.addresses().isEmpty()) {
            return List.of();
        }
        String self = nad.path("metadata").path("namespace").asText("default") + "/" + nad.path("metadata").path("name").asText("");
        List<Finding> findings = new ArrayList<>();
        String list = nad.path("spec").path("config").asText("").contains("\"plugins\"") ? "/plugins/0" : "";
        for (NadInfo other : others) {
            if (other.key().equals(self) || other.config() == null || !other.staticIpam()) {
                continue;
            }
            Optional<PlannedInterface> first = firstInterface(other);
            if (first.isEmpty()) {
                continue;
            }
            PlannedInterface t = first.get();
            if (!t.type().equals("macvlan") || !t.master().equals(mine.master()) || !t.vlan().equals(mine.vlan())) {
                continue;
            }
            for (int i = 0; i < mine.addresses().size(); i++) {
                IpPrefix a = mine.addresses().get(i);
                if (t.addresses().stream().anyMatch(b -> b.address().equals(a.address()))) {
                    findings.add(Finding.warning("/spec/config" + list + "/ipam/addresses/" + i + "/address",
                            "static address " + IpPrefix.format(a.address()) + " is also handed out by " + other.key()
                                    + " on the same segment (master \"" + (mine.master().isEmpty() ? "(default route interface)" : mine.master())
                                    + "\"" + mine.vlan().map(v -> ", VLAN " + v).orElse(", no VLAN")
                                    + "): two pods attached to both would answer ARP for one address"));
                }
            }
        }
        return findings;
    }

    /** Entries kept by {@link #firstInterface}; past it the cache starts again (the catalog's NADs refill it). */
    private static final int SEGMENT_CACHE_LIMIT = 20_000;
    /** First planned interface of a NAD by key and config text: planning every static NAD of the namespace on each admission was O(NADs). */
    private static final Map<String, Optional<PlannedInterface>> SEGMENTS = new ConcurrentHashMap<>();

    /** The first interface {@code other} plans (master, VLAN, static addresses), cached by its key and config text. */
    private static Optional<PlannedInterface> firstInterface(NadInfo other) {
        String cacheKey = other.key() + '\n' + other.config();
        Optional<PlannedInterface> cached = SEGMENTS.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        Optional<PlannedInterface> first;
        try {
            NetworkPlan theirs = Planner.planNad(other.key(), "net1", other.config(), ClusterNetworks.NONE);
            first = theirs.interfaces().isEmpty() ? Optional.empty() : Optional.of(theirs.interfaces().getFirst());
        } catch (RuntimeException e) {
            first = Optional.empty();
        }
        if (SEGMENTS.size() >= SEGMENT_CACHE_LIMIT) {
            SEGMENTS.clear();
        }
        SEGMENTS.put(cacheKey, first);
        return first;
    }
}
