package io.netattach.cni;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A JSON value: the small, reflection-free tree that CNI configs, results and errors are read into
 * and written from. Objects keep their key order. Parse with {@link Json#parse(String)}.
 */
public sealed interface JsonValue
        permits JsonValue.JsonObject, JsonValue.JsonArray, JsonValue.JsonString, JsonValue.JsonNumber,
        JsonValue.JsonBool, JsonValue.JsonNull {

    /** The JSON type name as users read it in messages: object, array, string, number, boolean, null. */
    String typeName();

    /** Compact JSON text. */
    default String toJson() {
        return Json.write(this);
    }

    /** An object; keys in document order. {@code duplicateKeys} lists keys that occurred more than once (last wins). */
    record JsonObject(Map<String, JsonValue> members, Set<String> duplicateKeys) implements JsonValue {
        public JsonObject {
            members = FrozenMembers.copyOf(members);
            duplicateKeys = duplicateKeys.isEmpty() ? Set.of() : Set.copyOf(duplicateKeys);
        }

        public JsonObject(Map<String, JsonValue> members) {
            this(members, Set.of());
        }

        public static JsonObject empty() {
            return new JsonObject(Map.of());
        }

        public Optional<JsonValue> get(String key) {
            return Optional.ofNullable(members.get(key));
        }

        public boolean has(String key) {
            return members.containsKey(key);
        }

        /** A copy with {@code key} set to {@code value} (appended when new, replaced in place otherwise). */
        public JsonObject with(String key, JsonValue value) {
            LinkedHashMap<String, JsonValue> copy = new LinkedHashMap<>(members);
            copy.put(key, value);
            return new JsonObject(FrozenMembers.of(copy));
        }

        /** A copy without {@code key}. */
        public JsonObject without(String key) {
            LinkedHashMap<String, JsonValue> copy = new LinkedHashMap<>(members);
            copy.remove(key);
            return new JsonObject(FrozenMembers.of(copy));
        }

        @Override
        public String typeName() {
            return "object";
        }
    }

    record JsonArray(List<JsonValue> elements) implements JsonValue {
        public JsonArray {
            elements = List.copyOf(elements);
        }

        @Override
        public String typeName() {
            return "array";
        }
    }

    record JsonString(String value) implements JsonValue {
        @Override
        public String typeName() {
            return "string";
        }
    }

    /** A number, kept as its literal text so that nothing is lost or rounded. */
    record JsonNumber(String text) implements JsonValue {
        public static JsonNumber of(long value) {
            return new JsonNumber(Long.toString(value));
        }

        public BigDecimal decimal() {
            return new BigDecimal(text);
        }

        /** The value as a long when it is an integer within range (1e2 and 2.0 count as integers). */
        public Optional<Long> longValue() {
            try {
                return Optional.of(decimal().longValueExact());
            } catch (ArithmeticException e) {
                return Optional.empty();
            }
        }

        @Override
        public String typeName() {
            return "number";
        }
    }

    record JsonBool(boolean value) implements JsonValue {
        public static final JsonBool TRUE = new JsonBool(true);
        public static final JsonBool FALSE = new JsonBool(false);

        public static JsonBool of(boolean value) {
            return value ? TRUE : FALSE;
        }

        @Override
        public String typeName() {
            return "boolean";
        }
    }

    enum JsonNull implements JsonValue {
        INSTANCE;

        @Override
        public String typeName() {
            return "null";
        }
    }
}
