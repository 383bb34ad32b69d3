package io.netattach.catalog;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

import java.util.function.UnaryOperator;

/**
 * An informer's store that keeps each object as {@code trim} leaves it: what nothing here reads is
 * dropped before the object is stored (the NAD catalog drops managedFields and the last-applied
 * annotation, the Node watch keeps names and pod CIDRs only). Keys as fabric8's default store.
 */
public final class TrimmingItemStore<T extends HasMetadata> extends BasicItemStore<T> {

    private final UnaryOperator<T> trim;

    public TrimmingItemStore(UnaryOperator<T> trim) {
        super(Cache::metaNamespaceKeyFunc);
        this.trim = trim;
    }

    @Override
    public T put(String key, T obj) {
        return super.put(key, trim.apply(obj));
    }
}
