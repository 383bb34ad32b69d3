package io.netattach.cni;

import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonBool;
import io.netattach.cni.JsonValue.JsonNull;
import io.netattach.cni.JsonValue.JsonNumber;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Typed, strict access to fields of a JSON object. Every failure throws a {@link CniException}
 * with code 7 (invalid network config) and a one-line message naming the field by its dotted path
 * and quoting the value, e.g. {@code field "addroutes[0].dst": expected a CIDR, got "10.0.0.0/33"}.
 * A JSON {@code null} counts as absent, as Go's encoding/json treats it.
 */
public final class Fields {

    private Fields() {
    }

    /** {@code parent.key} or {@code key} when parent is empty. */
    public static String path(String parent, String key) {
        return parent == null || parent.isEmpty() ? key : parent + "." + key;
    }

    public static CniException invalid(String path, String expected, JsonValue got) {
        return CniException.config("field \"" + path + "\": expected " + expected + ", got " + quoteValue(got));
    }

    /** The value as quoted in messages: strings in quotes, others as compact JSON, truncated at 80 chars. */
    public static String quoteValue(JsonValue value) {
        String text = value.toJson();
        if (text.length() > 80) {
            text = text.substring(0, 77) + "...";
        }
        return text;
    }

    private static Optional<JsonValue> present(JsonObject o, String key) {
        return o.get(key).filter(v -> v != JsonNull.INSTANCE);
    }

    public static Optional<String> string(JsonObject o, String parent, String key) {
        Optional<JsonValue> v = present(o, key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof JsonString s) {
            return Optional.of(s.value());
        }
        throw invalid(path(parent, key), "a string", v.get());
    }

    public static String requiredString(JsonObject o, String parent, String key) {
        return string(o, parent, key).filter(s -> !s.isEmpty())
                .orElseThrow(() -> CniException.config("field \"" + path(parent, key) + "\" is required"));
    }

    /**
     * A boolean. Like libcni for {@code disableCheck}, the strings "true" and "false" are accepted
     * only when {@code acceptStrings}.
     */
    public static Optional<Boolean> bool(JsonObject o, String parent, String key, boolean acceptStrings) {
        Optional<JsonValue> v = present(o, key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof JsonBool b) {
            return Optional.of(b.value());
        }
        if (acceptStrings && v.get() instanceof JsonString s
                && (s.value().equalsIgnoreCase("true") || s.value().equalsIgnoreCase("false"))) {
            return Optional.of(Boolean.parseBoolean(s.value()));
        }
        throw invalid(path(parent, key), "a boolean", v.get());
    }

    public static boolean bool(JsonObject o, String parent, String key) {
        return bool(o, parent, key, false).orElse(false);
    }

    /** An integer in [min, max]. */
    public static Optional<Long> integer(JsonObject o, String parent, String key, long min, long max) {
        Optional<JsonValue> v = present(o, key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof JsonNumber n) {
            Optional<Long> l = n.longValue();
            if (l.isPresent() && l.get() >= min && l.get() <= max) {
                return l;
            }
            throw invalid(path(parent, key), "an integer from " + min + " to " + max, v.get());
        }
        throw invalid(path(parent, key), "an integer", v.get());
    }

    public static Optional<Integer> int32(JsonObject o, String parent, String key, long min, long max) {
        return integer(o, parent, key, min, max).map(Long::intValue);
    }

    public static Optional<JsonObject> object(JsonObject o, String parent, String key) {
        Optional<JsonValue> v = present(o, key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof JsonObject obj) {
            return Optional.of(obj);
        }
        throw invalid(path(parent, key), "an object", v.get());
    }

    public static Optional<JsonArray> array(JsonObject o, String parent, String key) {
        Optional<JsonValue> v = present(o, key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof JsonArray a) {
            return Optional.of(a);
        }
        throw invalid(path(parent, key), "an array", v.get());
    }

    /** Each element of an array of objects, mapped with its path ({@code key[i]}). */
    public static <T> List<T> objects(JsonObject o, String parent, String key,
                                      BiFunction<JsonObject, String, T> mapper) {
        Optional<JsonArray> a = array(o, parent, key);
        if (a.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>();
        List<JsonValue> elements = a.get().elements();
        for (int i = 0; i < elements.size(); i++) {
            String p = path(parent, key) + "[" + i + "]";
            if (!(elements.get(i) instanceof JsonObject e)) {
                throw invalid(p, "an object", elements.get(i));
            }
            out.add(mapper.apply(e, p));
        }
        return out;
    }

    public static List<String> strings(JsonObject o, String parent, String key) {
        Optional<JsonArray> a = array(o, parent, key);
        if (a.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        List<JsonValue> elements = a.get().elements();
        for (int i = 0; i < elements.size(); i++) {
            if (!(elements.get(i) instanceof JsonString s)) {
                throw invalid(path(parent, key) + "[" + i + "]", "a string", elements.get(i));
            }
            out.add(s.value());
        }
        return out;
    }

    /** A CIDR such as {@code 10.0.0.0/8}; host bits are kept. */
    public static Optional<IpPrefix> cidr(JsonObject o, String parent, String key) {
        Optional<String> s = string(o, parent, key);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(IpPrefix.parse(s.get())
                .orElseThrow(() -> invalid(path(parent, key), "a CIDR", new JsonString(s.get()))));
    }

    /** A literal IP address; an empty string counts as absent (as Go's net.ParseIP result nil). */
    public static Optional<InetAddress> ip(JsonObject o, String parent, String key) {
        Optional<String> s = string(o, parent, key);
        if (s.isEmpty() || s.get().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(IpPrefix.parseAddress(s.get())
                .orElseThrow(() -> invalid(path(parent, key), "an IP address", new JsonString(s.get()))));
    }
}
