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
 * Typed, strict access to the members of a JSON object: the one semantics for every reader of CNI configs
 * and results (validator rules, plugin config loaders, result decoding).
 *
 * <ul>
 *   <li>absent and JSON {@code null} are the same: the field is not set (as Go's encoding/json leaves a
 *       field alone on {@code null});</li>
 *   <li>a value of another JSON type is refused, naming the field and quoting the value; the strings
 *       "true"/"false" are not booleans;</li>
 *   <li>an integer is a plain integer literal: a fraction ({@code 1.5}) or an exponent ({@code 1.5e3},
 *       {@code 1e2}) is not an integer, as Go's encoding/json refuses to read them into an int field.</li>
 * </ul>
 *
 * <p>Two forms of each accessor: the finding form ({@code (object, key, path, findings)}) reports a problem
 * as a {@link Finding} at a JSON Pointer and returns empty, never throwing; the throwing form
 * ({@code (object, parent, key)}, used to decode results and the standard config fields) throws a
 * {@link CniException} with code 7 and a message naming the field by its dotted path, e.g.
 * {@code field "addroutes[0].dst": expected a CIDR, got "10.0.0.0/33"}.
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

    /** The value as quoted in messages: strings as {@link Text#quote}, others as compact JSON, truncated at 80 chars. */
    public static String quoteValue(JsonValue value) {
        if (value instanceof JsonString s) {
            return Text.quote(s.value());
        }
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
            Optional<Long> l = integerValue(n);
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

    // ---- the finding form: problems become findings at JSON Pointers, nothing throws ----

    public static Optional<String> string(JsonObject o, String key, String path, Findings out) {
        return member(o, key, path, out, JsonString.class, "a string").map(JsonString::value);
    }

    public static Optional<JsonObject> object(JsonObject o, String key, String path, Findings out) {
        return member(o, key, path, out, JsonObject.class, "an object");
    }

    public static Optional<JsonArray> array(JsonObject o, String key, String path, Findings out) {
        return member(o, key, path, out, JsonArray.class, "an array");
    }

    /** The member {@code key} when it is of {@code type}; absent is empty, another type an error finding. */
    private static <T extends JsonValue> Optional<T> member(JsonObject o, String key, String path, Findings out,
                                                           Class<T> type, String expected) {
        JsonValue v = o.members().get(key);
        if (v == null || v == JsonNull.INSTANCE) {
            return Optional.empty();
        }
        if (type.isInstance(v)) {
            return Optional.of(type.cast(v));
        }
        out.error(Text.at(path, key), key + " must be " + expected + ", got " + Text.showTyped(v));
        return Optional.empty();
    }

    /**
     * A boolean member. The strings "true" and "false" are a common mistake: reported with
     * {@code stringSeverity} (an error where the plugin rejects or misreads them, a warning where the
     * runtime accepts them); any other type is an error.
     */
    public static Optional<Boolean> bool(JsonObject o, String key, String path, Findings out, Severity stringSeverity,
                                  String stringConsequence) {
        JsonValue v = o.members().get(key);
        if (v == null || v == JsonNull.INSTANCE) {
            return Optional.empty();
        }
        if (v instanceof JsonBool b) {
            return Optional.of(b.value());
        }
        if (v instanceof JsonString s && (s.value().equals("true") || s.value().equals("false"))) {
            out.add(stringSeverity, Text.at(path, key), key + " " + Text.quote(s.value())
                    + " is a string, not a boolean: write " + s.value() + " without quotes" + stringConsequence);
            return Optional.empty();
        }
        out.error(Text.at(path, key), key + " must be a boolean (true or false), got " + Text.showTyped(v));
        return Optional.empty();
    }

    public static Optional<Boolean> bool(JsonObject o, String key, String path, Findings out) {
        return bool(o, key, path, out, Severity.ERROR, "");
    }

    /** An integer member within {@code [min, max]}. */
    public static Optional<Long> integer(JsonObject o, String key, String path, Findings out, long min, long max) {
        JsonValue v = o.members().get(key);
        if (v == null || v == JsonNull.INSTANCE) {
            return Optional.empty();
        }
        return integer(v, key, Text.at(path, key), out, min, max);
    }

    public static Optional<Long> integer(JsonValue v, String name, String path, Findings out, long min, long max) {
        String expected = "an integer " + min + ".." + max;
        if (v instanceof JsonNumber n) {
            Optional<Long> value = integerValue(n);
            if (value.isEmpty()) {
                out.error(path, name + " " + Text.show(v) + " must be " + expected);
                return Optional.empty();
            }
            if (value.get() < min || value.get() > max) {
                out.error(path, name + " " + Text.show(v) + " is out of range: must be " + expected);
                return Optional.empty();
            }
            return value;
        }
        out.error(path, name + " must be " + expected + ", got " + Text.showTyped(v));
        return Optional.empty();
    }

    /** The integer value of a plain integer literal (saturated when beyond a long); empty for fractions and exponents, never expanding them. */
    public static Optional<Long> integerValue(JsonNumber n) {
        String t = n.text();
        boolean plain = t.length() <= 101;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= '0' && c <= '9') && !(i == 0 && c == '-')) {
                plain = false;
                break;
            }
        }
        if (plain) {
            try {
                return Optional.of(Long.parseLong(t));
            } catch (NumberFormatException e) {
                return Optional.of(t.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE); // out of every range
            }
        }
        return Optional.empty(); // fractions and exponents are not integers as Go's json reads them into int
    }

    /** A string member holding an IP address (no prefix). */
    public static Optional<InetAddress> ip(JsonObject o, String key, String path, Findings out) {
        return string(o, key, path, out).flatMap(s -> {
            Optional<InetAddress> ip = IpPrefix.parseAddress(s);
            if (ip.isEmpty()) {
                String hint = IpPrefix.parse(s).isPresent() ? " (write the address without a prefix length)" : "";
                out.error(Text.at(path, key), key + " " + Text.quote(s) + " is not an IP address" + hint);
            }
            return ip;
        });
    }

    /** A string member holding a CIDR ({@code ADDRESS/LENGTH}). */
    public static Optional<IpPrefix> cidr(JsonObject o, String key, String path, Findings out) {
        return string(o, key, path, out).flatMap(s -> {
            Optional<IpPrefix> prefix = IpPrefix.parse(s);
            if (prefix.isEmpty()) {
                String hint = IpPrefix.parseAddress(s).isPresent() ? " (a prefix length such as /24 is missing)" : "";
                out.error(Text.at(path, key), key + " " + Text.quote(s) + " is not in CIDR notation ADDRESS/LENGTH" + hint);
            }
            return prefix;
        });
    }

    /** A string member holding a unicast MAC address ({@link MacAddress}); the empty string counts as absent. */
    public static Optional<MacAddress> mac(JsonObject o, String key, String path, Findings out) {
        return string(o, key, path, out).filter(s -> !s.isEmpty()).flatMap(s -> {
            Optional<String> problem = MacAddress.problem(s);
            if (problem.isPresent()) {
                out.error(Text.at(path, key), key + " " + Text.quote(s) + " " + problem.get());
                return Optional.empty();
            }
            return MacAddress.parse(s);
        });
    }

    public static String family(InetAddress a) {
        return IpPrefix.bits(a) == 32 ? "IPv4" : "IPv6";
    }

    public static String family(IpPrefix p) {
        return p.isIpv4() ? "IPv4" : "IPv6";
    }
}
