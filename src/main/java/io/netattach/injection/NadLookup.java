package io.netattach.injection;

import java.util.Optional;

/**
 * Where injection and pod validation find NADs: per namespace, already indexed. The catalog
 * implements it (informer or directory); tests use {@link #of(java.util.Collection)}.
 */
public interface NadLookup {

    /** The NADs of {@code namespace}; {@link NamespaceNads#EMPTY} when there are none. Must be cheap. */
    NamespaceNads namespace(String namespace);

    default Optional<NadInfo> find(String namespace, String name) {
        return namespace(namespace).find(name);
    }

    /**
     * Whether this lookup knows every NAD of {@code namespace} (the namespace is watched and the
     * catalog has synced), so that a NAD it lacks really does not exist.
     */
    default boolean covers(String namespace) {
        return true;
    }

    /** A fixed lookup over {@code nads} (any namespaces). */
    static NadLookup of(java.util.Collection<NadInfo> nads) {
        java.util.Map<String, java.util.List<NadInfo>> grouped = new java.util.HashMap<>();
        for (NadInfo nad : nads) {
            grouped.computeIfAbsent(nad.namespace(), k -> new java.util.ArrayList<>()).add(nad);
        }
        java.util.Map<String, NamespaceNads> index = new java.util.HashMap<>();
        grouped.forEach((ns, list) -> index.put(ns, NamespaceNads.of(list)));
        return namespace -> index.getOrDefault(namespace, NamespaceNads.EMPTY);
    }
}
