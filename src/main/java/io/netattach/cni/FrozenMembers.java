package io.netattach.cni;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The members of a {@link JsonValue.JsonObject}: a read-only view of a {@link LinkedHashMap} that no one
 * else holds (document order, hashed lookups). {@link Json} hands the map it filled while parsing to
 * {@link #of}, so that an object is not copied once more by its record's constructor; every other map
 * is copied first.
 */
final class FrozenMembers extends AbstractMap<String, JsonValue> {

    private final LinkedHashMap<String, JsonValue> map;

    private FrozenMembers(LinkedHashMap<String, JsonValue> map) {
        this.map = map;
    }

    /** {@code map} itself, read-only; the caller gives it up (nothing may change it afterwards). */
    static FrozenMembers of(LinkedHashMap<String, JsonValue> map) {
        return new FrozenMembers(map);
    }

    /** A read-only copy of {@code members}, or {@code members} when it is one already. */
    static Map<String, JsonValue> copyOf(Map<String, JsonValue> members) {
        return members instanceof FrozenMembers frozen ? frozen : new FrozenMembers(new LinkedHashMap<>(members));
    }

    @Override
    public JsonValue get(Object key) {
        return map.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return map.containsKey(key);
    }

    @Override
    public int size() {
        return map.size();
    }

    @Override
    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public Set<String> keySet() {
        return Collections.unmodifiableSet(map.keySet());
    }

    @Override
    public Collection<JsonValue> values() {
        return Collections.unmodifiableCollection(map.values());
    }

    @Override
    public Set<Entry<String, JsonValue>> entrySet() {
        return Collections.unmodifiableMap(map).entrySet();
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super JsonValue> action) {
        map.forEach(action);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || map.equals(o);
    }

    @Override
    public int hashCode() {
        return map.hashCode();
    }
}
