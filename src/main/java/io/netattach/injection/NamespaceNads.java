package io.netattach.injection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The NADs of one namespace, indexed for the injection decision: by name, and the injecting NADs
 * grouped by (canonical) selector and ranked in injection order, so that deciding for a pod costs one
 * match per distinct selector of the pod's namespace and nothing per NAD of other namespaces.
 *
 * <p>Immutable and thread-safe; build a new one when the namespace changes.
 */
public final class NamespaceNads {

    public static final NamespaceNads EMPTY = new NamespaceNads(List.of());

    /** NADs sharing one selector; {@code ranks} index {@link #injecting}. */
    private record SelectorGroup(LabelSelector selector, int[] ranks) {
    }

    private final Map<String, NadInfo> byName;
    private final NadInfo[] injecting;
    private final SelectorGroup[] groups;

    private NamespaceNads(Collection<NadInfo> nads) {
        Map<String, NadInfo> names = new HashMap<>(Math.max(4, nads.size() * 2));
        List<NadInfo> injectors = new ArrayList<>();
        for (NadInfo nad : nads) {
            names.put(nad.name(), nad);
        }
        for (NadInfo nad : names.values()) {
            if (nad.injects()) {
                injectors.add(nad);
            }
        }
        injectors.sort(NadInfo.INJECTION_ORDER);
        this.byName = Map.copyOf(names);
        this.injecting = injectors.toArray(new NadInfo[0]);
        Map<LabelSelector, List<Integer>> bySelector = new LinkedHashMap<>();
        for (int rank = 0; rank < injecting.length; rank++) {
            bySelector.computeIfAbsent(injecting[rank].selector(), s -> new ArrayList<>()).add(rank);
        }
        this.groups = bySelector.entrySet().stream()
                .map(e -> new SelectorGroup(e.getKey(), e.getValue().stream().mapToInt(Integer::intValue).toArray()))
                .toArray(SelectorGroup[]::new);
    }

    /** An index of {@code nads}, all of one namespace (a later NAD of the same name wins). */
    public static NamespaceNads of(Collection<NadInfo> nads) {
        return nads.isEmpty() ? EMPTY : new NamespaceNads(nads);
    }

    public Optional<NadInfo> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public int size() {
        return byName.size();
    }

    /** Every NAD of the namespace, in no particular order. */
    public java.util.Collection<NadInfo> all() {
        return byName.values();
    }

    /** The injecting NADs, in injection order. */
    public List<NadInfo> injecting() {
        return List.of(injecting);
    }

    /** Number of distinct selectors among the injecting NADs. */
    public int selectorCount() {
        return groups.length;
    }

    /** The NADs whose selector matches {@code labels}, in injection order (inject-order, then name). */
    public List<NadInfo> matching(Map<String, String> labels) {
        if (injecting.length == 0) {
            return List.of();
        }
        int[] matched = null;
        int count = 0;
        for (SelectorGroup group : groups) {
            if (group.selector().matches(labels)) {
                if (matched == null) {
                    matched = new int[injecting.length];
                }
                System.arraycopy(group.ranks(), 0, matched, count, group.ranks().length);
                count += group.ranks().length;
            }
        }
        if (count == 0) {
            return List.of();
        }
        Arrays.sort(matched, 0, count);
        NadInfo[] result = new NadInfo[count];
        for (int i = 0; i < count; i++) {
            result[i] = injecting[matched[i]];
        }
        return List.of(result);
    }
}
