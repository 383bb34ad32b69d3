package io.netattach.plan;

import io.netattach.cni.IpPrefix;
import io.netattach.injection.NadInfo;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which NADs hand out which static address on which layer-2 segment (macvlan master and VLAN, a
 * node-level resource, so across all namespaces): an index keyed by (master, VLAN, address), kept
 * with the NAD catalog. A NAD is planned once when it enters or changes ({@link #put}), not at each
 * admission; {@link #holders} is one hash lookup, whatever the number of NADs.
 *
 * <p>Thread-safe: writers (the catalog's event thread, a directory reload) are serialized; readers
 * (admission threads) see, for each key, an immutable set replaced whole.
 */
public final class SegmentIndex {

    /** One static address on one segment: {@code master} empty for the default route's interface. */
    public record Key(String master, Optional<Integer> vlan, InetAddress address) {
    }

    private final Map<Key, Set<String>> holders = new ConcurrentHashMap<>();
    /** The keys each NAD ({@code namespace/name}) holds, to remove them when it changes or goes. */
    private final Map<String, List<Key>> byNad = new ConcurrentHashMap<>();
    /** The config each NAD was indexed with: an unchanged config (resync, reload) is not planned again. */
    private final Map<String, String> configs = new ConcurrentHashMap<>();

    /** An index of {@code nads}. */
    public static SegmentIndex of(Collection<NadInfo> nads) {
        SegmentIndex index = new SegmentIndex();
        for (NadInfo nad : nads) {
            index.put(nad);
        }
        return index;
    }

    /** {@code nad} was added or changed: its previous entries are replaced. */
    public synchronized void put(NadInfo nad) {
        String config = nad.staticIpam() && nad.config() != null ? nad.config() : "";
        if (config.equals(configs.put(nad.key(), config))) {
            return;
        }
        List<Key> keys = keys(nad);
        List<Key> previous = keys.isEmpty() ? byNad.remove(nad.key()) : byNad.put(nad.key(), keys);
        if (previous != null && previous.equals(keys)) {
            return;
        }
        if (previous != null) {
            unlink(nad.key(), previous);
        }
        for (Key key : keys) {
            holders.compute(key, (k, set) -> {
                if (set == null) {
                    return Set.of(nad.key());
                }
                if (set.contains(nad.key())) {
                    return set;
                }
                java.util.HashSet<String> next = new java.util.HashSet<>(set);
                next.add(nad.key());
                return Set.copyOf(next);
            });
        }
    }

    /** {@code namespace/name} is gone. */
    public synchronized void remove(String nadKey) {
        configs.remove(nadKey);
        List<Key> previous = byNad.remove(nadKey);
        if (previous != null) {
            unlink(nadKey, previous);
        }
    }

    /** Replaces the whole index with {@code nads} (a directory reload, a relist). */
    public synchronized void replaceAll(Collection<NadInfo> nads) {
        Set<String> keep = new java.util.HashSet<>();
        for (NadInfo nad : nads) {
            keep.add(nad.key());
            put(nad);
        }
        for (String gone : List.copyOf(configs.keySet())) {
            if (!keep.contains(gone)) {
                remove(gone);
            }
        }
    }

    private void unlink(String nadKey, List<Key> keys) {
        for (Key key : keys) {
            holders.computeIfPresent(key, (k, set) -> {
                if (!set.contains(nadKey)) {
                    return set;
                }
                if (set.size() == 1) {
                    return null;
                }
                java.util.HashSet<String> next = new java.util.HashSet<>(set);
                next.remove(nadKey);
                return Set.copyOf(next);
            });
        }
    }

    /** The NADs ({@code namespace/name}) that hand out {@code address} on this master and VLAN. */
    public Set<String> holders(String master, Optional<Integer> vlan, InetAddress address) {
        return holders.getOrDefault(new Key(master, vlan, address), Set.of());
    }

    /** Number of NADs with at least one static macvlan address in the index. */
    public int size() {
        return byNad.size();
    }

    /**
     * The segment keys of {@code nad}: the static addresses of the first interface it plans, when that
     * interface is a macvlan. Empty for other NADs and for configs the plan cannot read.
     */
    static List<Key> keys(NadInfo nad) {
        if (nad.config() == null || !nad.staticIpam()) {
            return List.of();
        }
        Optional<PlannedInterface> first = firstInterface(nad.key(), nad.config());
        if (first.isEmpty()) {
            return List.of();
        }
        return keys(first.get());
    }

    /** The segment keys of one planned interface: its static addresses when it is a macvlan. */
    static List<Key> keys(PlannedInterface i) {
        if (!i.type().equals("macvlan") || i.addresses().isEmpty()) {
            return List.of();
        }
        List<Key> keys = new ArrayList<>(i.addresses().size());
        for (IpPrefix a : i.addresses()) {
            Key key = new Key(i.master(), i.vlan(), a.address());
            if (!keys.contains(key)) {
                keys.add(key);
            }
        }
        return List.copyOf(keys);
    }

    /** The first interface a NAD config plans (master, VLAN, static addresses); empty when it cannot be planned. */
    static Optional<PlannedInterface> firstInterface(String nadKey, String config) {
        try {
            NetworkPlan plan = Planner.planNad(nadKey, "net1", config, ClusterNetworks.NONE);
            return plan.interfaces().isEmpty() ? Optional.empty() : Optional.of(plan.interfaces().getFirst());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
