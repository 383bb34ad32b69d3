package io.netattach.catalog;

import io.netattach.injection.NadInfo;
import io.netattach.injection.NadLookup;
import io.netattach.injection.NamespaceNads;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The per-namespace index shared by both catalogs: an immutable {@link NamespaceNads} per namespace,
 * built lazily from a source on first use after a change of that namespace, so that an admission
 * decision reads a ready index (no scan of other namespaces' NADs, no parsing) and a burst of NAD
 * events costs one rebuild per namespace, not one per event.
 *
 * <p>Also remembers which NADs have unusable netattach.io annotations and reports each problem once
 * (to the log, through the given sink) per NAD and distinct problem set.
 */
public final class CatalogIndex implements NadLookup {

    private static final class Slot {
        private volatile NamespaceNads snapshot;
    }

    private final Function<String, Collection<NadInfo>> source;
    private final Consumer<String> problemSink;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final Map<String, List<String>> reported = new ConcurrentHashMap<>();

    /**
     * @param source      the current NADs of one namespace (called under the namespace's lock)
     * @param problemSink receives one line per newly seen annotation problem
     */
    public CatalogIndex(Function<String, Collection<NadInfo>> source, Consumer<String> problemSink) {
        this.source = Objects.requireNonNull(source, "source");
        this.problemSink = Objects.requireNonNull(problemSink, "problemSink");
    }

    @Override
    public NamespaceNads namespace(String namespace) {
        Slot slot = slots.get(namespace);
        if (slot == null) {
            slot = slots.computeIfAbsent(namespace, ns -> new Slot());
        }
        NamespaceNads snapshot = slot.snapshot;
        if (snapshot != null) {
            return snapshot;
        }
        synchronized (slot) {
            if (slot.snapshot == null) {
                slot.snapshot = NamespaceNads.of(source.apply(namespace));
            }
            return slot.snapshot;
        }
    }

    /** The namespace changed: the next read rebuilds its index from the source. */
    public void invalidate(String namespace) {
        Slot slot = slots.get(namespace);
        if (slot != null) {
            synchronized (slot) {
                slot.snapshot = null;
            }
        }
    }

    /** Everything changed (directory reload, relist). */
    public void invalidateAll() {
        for (Slot slot : slots.values()) {
            synchronized (slot) {
                slot.snapshot = null;
            }
        }
    }

    /** Records {@code nad}'s annotation problems, reporting them when they are new for this NAD. */
    public void noteProblems(NadInfo nad) {
        List<String> problems = nad.problems();
        if (problems.isEmpty()) {
            reported.remove(nad.key());
            return;
        }
        List<String> previous = reported.put(nad.key(), problems);
        if (!problems.equals(previous)) {
            for (String problem : problems) {
                problemSink.accept("NetworkAttachmentDefinition " + nad.key() + ": " + problem);
            }
        }
    }

    /** {@code namespace/name} is gone: forget its problems. */
    public void forget(String namespace, String name) {
        reported.remove(namespace + "/" + name);
    }

    /** Keeps only the problems of NADs in {@code keys} ({@code namespace/name}). */
    public void retainProblems(Collection<String> keys) {
        reported.keySet().retainAll(keys instanceof java.util.Set<?> ? keys : java.util.Set.copyOf(keys));
    }

    /** Number of NADs that currently have annotation problems. */
    public int invalidAnnotations() {
        return reported.size();
    }
}
