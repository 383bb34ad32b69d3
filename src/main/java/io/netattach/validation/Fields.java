package io.netattach.validation;

import io.netattach.cni.Severity;

import io.netattach.cni.IpPrefix;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonBool;
import io.netattach.cni.JsonValue.JsonNumber;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;

import java.net.InetAddress;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Typed access to the members of a JSON object for the rules. Each accessor reports a wrong JSON type
 * (or an out-of-range value) as a finding that names the field and quotes the value, and returns empty;
 * nothing here throws for any input.
 */
final class Fields {

    private static final Pattern MAC = Pattern.compile("[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\\1[0-9A-Fa-f]{2}){4}");

    private Fields() {
    }

    static Optional<String> string(JsonObject o, String key, String path, Findings out) {
        return member(o, key, path, out, JsonString.class, "a string").map(JsonString::value);
    }

    static Optional<JsonObject> object(JsonObject o, String key, String path, Findings out) {
        return member(o, key, path, out, JsonObject.class, "an object");
    }

    static Optional<JsonArray> array(JsonObject o, String key, String path, Findings out) {
        return member(o, key, path, out, JsonArray.class, "an array");
    }

    /** The member {@code key} when it is of {@code type}; absent is empty, another type an error finding. */
    private static <T extends JsonValue> Optional<T> member(JsonObject o, String key, String path, Findings out,
                                                           Class<T> type, String expected) {
        JsonValue v = o.members().get(key);
        if (v == null) {
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
    static Optional<Boolean> bool(JsonObject o, String key, String path, Findings out, Severity stringSeverity,
                                  String stringConsequence) {
        JsonValue v = o.members().get(key);
        if (v == null) {
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

    static Optional<Boolean> bool(JsonObject o, String key, String path, Findings out) {
        return bool(o, key, path, out, Severity.ERROR, "");
    }

    /** An integer member within {@code [min, max]}. */
    static Optional<Long> integer(JsonObject o, String key, String path, Findings out, long min, long max) {
        JsonValue v = o.members().get(key);
        if (v == null) {
            return Optional.empty();
        }
        return integer(v, key, Text.at(path, key), out, min, max);
    }

    static Optional<Long> integer(JsonValue v, String name, String path, Findings out, long min, long max) {
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
    static Optional<Long> integerValue(JsonNumber n) {
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
    static Optional<InetAddress> ip(JsonObject o, String key, String path, Findings out) {
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
    static Optional<IpPrefix> cidr(JsonObject o, String key, String path, Findings out) {
        return string(o, key, path, out).flatMap(s -> {
            Optional<IpPrefix> prefix = IpPrefix.parse(s);
            if (prefix.isEmpty()) {
                String hint = IpPrefix.parseAddress(s).isPresent() ? " (a prefix length such as /24 is missing)" : "";
                out.error(Text.at(path, key), key + " " + Text.quote(s) + " is not in CIDR notation ADDRESS/LENGTH" + hint);
            }
            return prefix;
        });
    }

    /** A string member holding a MAC address. */
    static Optional<String> mac(JsonObject o, String key, String path, Findings out) {
        return string(o, key, path, out).flatMap(s -> {
            if (!MAC.matcher(s).matches()) {
                out.error(Text.at(path, key), key + " " + Text.quote(s)
                        + " is not a MAC address (six hex pairs such as 0a:58:0a:80:00:05)");
                return Optional.empty();
            }
            if ((Integer.parseInt(s.substring(0, 2), 16) & 1) != 0) {
                out.error(Text.at(path, key), key + " " + Text.quote(s) + " is a multicast MAC address: an interface needs a unicast one");
                return Optional.empty();
            }
            return Optional.of(s);
        });
    }

    static String family(InetAddress a) {
        return IpPrefix.bits(a) == 32 ? "IPv4" : "IPv6";
    }

    static String family(IpPrefix p) {
        return p.isIpv4() ? "IPv4" : "IPv6";
    }
}
