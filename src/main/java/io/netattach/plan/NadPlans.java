package io.netattach.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.netattach.cni.IpPrefix;
import io.netattach.cni.JsonValue;
import io.netattach.injection.NadInfo;
import io.netattach.cni.Finding;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** The plan of {@code nad} alone (one interface, named by its {@code netattach.io/interface} or net1). */
    public static Optional<NetworkPlan> plan(JsonNode nad, ClusterNetworks cluster) {
        return plan(nad, null, cluster);
    }

    /** {@link #plan(JsonNode, ClusterNetworks)} with {@code spec.config} already parsed ({@code parsed}), or null. */
    private static Optional<NetworkPlan> plan(JsonNode nad, JsonValue parsed, ClusterNetworks cluster) {
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
            return Optional.of(Planner.planNad(key, ifName, config.asText(), parsed, cluster));
        } catch (RuntimeException e) {
            return Optional.empty(); // a config the plan cannot read is the validator's to report
        }
    }

    /**
     * The findings of the plan of a bare CNI config ({@code parsed} from {@code text}), with paths into the config;
     * none when the plugins refuse it (the validator's to report).
     */
    static List<Finding> config(String text, JsonValue parsed, ClusterNetworks cluster) {
        String name = parsed instanceof JsonValue.JsonObject o && o.get("name").orElse(null) instanceof JsonValue.JsonString s
                ? s.value() : "";
        try {
            return Planner.planConfig(name.isEmpty() ? "config" : name, "net1", text, parsed, "", cluster).findings();
        } catch (RuntimeException e) {
            return List.of(); // a config the plan cannot read is the validator's to report
        }
    }

    /**
     * Static addresses of {@code nad} that another NAD of {@code others} hands out on the same master and
     * VLAN (one layer-2 segment): warnings, since two pods answer ARP for one address. Builds an index of
     * {@code others} on each call; the webhook keeps one with its catalog ({@link #sharedSegment(JsonNode, String, SegmentIndex)}).
     */
    public static List<Finding> sharedSegment(JsonNode nad, Collection<NadInfo> others) {
        return sharedSegment(nad, nad == null ? "default" : nad.path("metadata").path("namespace").asText("default"),
                SegmentIndex.of(others));
    }

    /**
     * Static addresses of {@code nad} (in {@code namespace}, its own entry in the index ignored) that
     * another NAD of {@code segments} hands out on the same master and VLAN, in any namespace: a macvlan
     * master and VLAN belong to the node, so two NADs of different namespaces on them share one layer-2
     * segment. One warning per address and other NAD, naming it {@code namespace/name}; the NADs of
     * {@code namespace} first, then the others by name.
     */
    public static List<Finding> sharedSegment(JsonNode nad, String namespace, SegmentIndex segments) {
        return plan(nad, ClusterNetworks.NONE).map(plan -> sharedSegment(nad, namespace, plan, segments)).orElse(List.of());
    }

    /**
     * The admission's checks of {@code nad} from one plan: its findings (against {@code cluster}, in-chain)
     * followed by {@link #sharedSegment(JsonNode, String, SegmentIndex)} against {@code segments} (none when null).
     * {@code config} is its {@code spec.config} as the validator parsed it ({@link io.netattach.validation.NadValidator#validateParsed}):
     * null when unreadable, and then there is no plan.
     */
    public static List<Finding> admission(JsonNode nad, JsonValue config, ClusterNetworks cluster, String namespace,
                                          SegmentIndex segments) {
        if (config == null) {
            return List.of();
        }
        Optional<NetworkPlan> plan = plan(nad, config, cluster);
        if (plan.isEmpty()) {
            return List.of();
        }
        if (segments == null) {
            return plan.get().findings();
        }
        List<Finding> shared = sharedSegment(nad, namespace, plan.get(), segments);
        if (shared.isEmpty()) {
            return plan.get().findings();
        }
        List<Finding> all = new ArrayList<>(plan.get().findings());
        all.addAll(shared);
        return all;
    }

    /** {@link #sharedSegment(JsonNode, String, SegmentIndex)} on the plan of {@code nad} already made. */
    private static List<Finding> sharedSegment(JsonNode nad, String namespace, NetworkPlan plan, SegmentIndex segments) {
        if (plan.interfaces().isEmpty()) {
            return List.of();
        }
        PlannedInterface mine = plan.interfaces().getFirst();
        if (!mine.type().equals("macvlan") || mine.addresses().isEmpty()) {
            return List.of();
        }
        String self = namespace + "/" + nad.path("metadata").path("name").asText("");
        // other NAD -> indexes of my addresses it also hands out
        Map<String, List<Integer>> shared = new java.util.TreeMap<>((a, b) -> {
            boolean sa = a.startsWith(namespace + "/");
            boolean sb = b.startsWith(namespace + "/");
            return sa != sb ? (sa ? -1 : 1) : a.compareTo(b);
        });
        for (int i = 0; i < mine.addresses().size(); i++) {
            for (String other : segments.holders(mine.master(), mine.vlan(), mine.addresses().get(i).address())) {
                if (!other.equals(self)) {
                    shared.computeIfAbsent(other, k -> new ArrayList<>()).add(i);
                }
            }
        }
        if (shared.isEmpty()) {
            return List.of();
        }
        List<Finding> findings = new ArrayList<>();
        String list = nad.path("spec").path("config").asText("").contains("\"plugins\"") ? "/plugins/0" : "";
        shared.forEach((other, indexes) -> {
            for (int i : indexes) {
                IpPrefix a = mine.addresses().get(i);
                findings.add(Finding.warning("/spec/config" + list + "/ipam/addresses/" + i + "/address",
                        "static address " + IpPrefix.format(a.address()) + " is also handed out by " + other
                                + " on the same segment (master \"" + (mine.master().isEmpty() ? "(default route interface)" : mine.master())
                                + "\"" + mine.vlan().map(v -> ", VLAN " + v).orElse(", no VLAN")
                                + "): two pods attached to both would answer ARP for one address"));
            }
        });
        return findings;
    }
}
