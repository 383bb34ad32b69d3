package io.netattach.plan;

import io.netattach.cni.Json;
import io.netattach.cni.JsonValue;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The parsed trees of the NAD configs the planner read last, so that a pod review does not parse the
 * same NADs again for every pod: a pod with 10 networks spent about a quarter of its plan parsing.
 * Direct-mapped on the text's hash (a slot keeps the last config that fell into it), so its memory
 * is bounded whatever the catalog holds: {@link #SLOTS} configs of at most {@link #MAX_CACHED_LENGTH}
 * characters, with their trees. Trees are immutable ({@link JsonValue}), so threads share them; a
 * changed NAD has a new text and misses. Texts that do not parse are not kept (they throw, as
 * {@link Json#parse(String)} does).
 */
final class ParsedConfigs {

    static final int SLOTS = 512;
    static final int MAX_CACHED_LENGTH = 16 * 1024;

    private record Entry(String text, JsonValue tree) {
    }

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);

    static final ParsedConfigs SHARED = new ParsedConfigs();

    /** The tree of {@code text}: the one kept for an equal text, else parsed now (and kept if small). */
    JsonValue parse(String text) {
        if (text == null || text.length() > MAX_CACHED_LENGTH) {
            return Json.parse(text);
        }
        int slot = text.hashCode() & (SLOTS - 1);
        Entry e = slots.get(slot);
        if (e != null && (e.text == text || e.text.equals(text))) {
            return e.tree;
        }
        JsonValue tree = Json.parse(text);
        slots.setRelease(slot, new Entry(text, tree));
        return tree;
    }
}
