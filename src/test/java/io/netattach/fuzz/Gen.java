package io.netattach.fuzz;

import io.netattach.cni.Json;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonBool;
import io.netattach.cni.JsonValue.JsonNull;
import io.netattach.cni.JsonValue.JsonNumber;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Generators and mutators of text, bytes and JSON trees for the fuzz properties. */
public final class Gen {

    private Gen() {
    }

    /** Fragments that make parsers take unusual paths. */
    static final String[] TOKENS = {
            "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\u00", "\\ud800", "\\udc00", "\\uD83D\\uDE00", "\\x",
            "true", "false", "null", "tru", "nul", "-", "0", "-0", "01", "1e", "1e+", "1.5e-7", "1E400", "1e-400",
            "99999999999999999999999", "-9223372036854775809", "NaN", "Infinity", " ", "\t", "\n", "\r\n", "\u0000",
            "\u0085", "\u2028", "\u2029", "\ufeff", "\ud800", "\udfff", "\uD83D\uDE00", "é", "/", "..", "../", "~", "~1",
            "%", "@", "=", "!", "//", "/*", "*/", "'", "`", "$", "{{", "}}", "[[", "]]", "\"\":", "\"a\":1", "{\"\":{}}",
    };

    /** A string of mixed characters: ASCII, controls, JSON syntax, non-ASCII BMP, lone and paired surrogates. */
    public static String text(Random r, int maxLength) {
        int n = r.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(n);
        while (sb.length() < n) {
            int kind = r.nextInt(10);
            switch (kind) {
                case 0, 1, 2 -> sb.append((char) (0x20 + r.nextInt(0x5f)));
                case 3 -> sb.append((char) r.nextInt(0x20));
                case 4 -> sb.append(TOKENS[r.nextInt(TOKENS.length)]);
                case 5 -> sb.append((char) (0x80 + r.nextInt(0x780)));
                case 6 -> sb.append((char) (0x800 + r.nextInt(0xF7FF)));
                case 7 -> sb.appendCodePoint(0x10000 + r.nextInt(0xFFFFF));
                case 8 -> sb.append("abcdefghijklmnopqrstuvwxyz0123456789-.".charAt(r.nextInt(38)));
                default -> sb.append(r.nextBoolean() ? '"' : '\\');
            }
        }
        return sb.toString();
    }

    /** Text made only of JSON tokens: most of it nearly parses. */
    public static String jsonish(Random r, int maxTokens) {
        int n = r.nextInt(maxTokens + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(TOKENS[r.nextInt(TOKENS.length)]);
        }
        return sb.toString();
    }

    public static byte[] bytes(Random r, int maxLength) {
        byte[] b = new byte[r.nextInt(maxLength + 1)];
        r.nextBytes(b);
        return b;
    }

    /** A short identifier-like string (object keys, names). */
    public static String word(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> "";
            case 1 -> text(r, 8);
            default -> {
                int n = 1 + r.nextInt(10);
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    sb.append("abcdefghijklmnopqrstuvwxyz0123456789-_".charAt(r.nextInt(38)));
                }
                yield sb.toString();
            }
        };
    }

    /** A valid JSON number literal (up to 100 characters, as {@link Json} accepts). */
    public static String number(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> Long.toString(r.nextLong());
            case 1 -> Integer.toString(r.nextInt(5000) - 100);
            case 2 -> "-0";
            case 3 -> (r.nextBoolean() ? "-" : "") + (1 + r.nextInt(9)) + "." + Math.abs(r.nextInt()) + "e" + (r.nextBoolean() ? "-" : "+")
                    + r.nextInt(Integer.MAX_VALUE);
            case 4 -> "1" + "0".repeat(r.nextInt(98));
            case 5 -> "1e" + (r.nextBoolean() ? "" : "-") + "9".repeat(1 + r.nextInt(12));
            case 6 -> Double.toString(r.nextDouble() * 1e6).replace("E", "e");
            default -> Integer.toString(r.nextInt(4096));
        };
    }

    /** A random JSON tree of at most {@code depth} levels. */
    public static JsonValue json(Random r, int depth) {
        int kind = r.nextInt(depth <= 0 ? 4 : 6);
        return switch (kind) {
            case 0 -> new JsonString(r.nextInt(4) == 0 ? text(r, 20) : word(r));
            case 1 -> new JsonNumber(number(r));
            case 2 -> JsonBool.of(r.nextBoolean());
            case 3 -> JsonNull.INSTANCE;
            case 4 -> {
                Map<String, JsonValue> m = new LinkedHashMap<>();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    m.put(word(r), json(r, depth - 1));
                }
                yield new JsonObject(m);
            }
            default -> {
                List<JsonValue> l = new ArrayList<>();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    l.add(json(r, depth - 1));
                }
                yield new JsonArray(l);
            }
        };
    }

    /** A hostile replacement value: huge strings, numbers, arrays, deep nesting, or a value of another type. */
    public static JsonValue hostile(Random r) {
        return switch (r.nextInt(9)) {
            case 0 -> new JsonString("x".repeat(1000 + r.nextInt(20000)));
            case 1 -> new JsonNumber("9".repeat(1 + r.nextInt(100)));
            case 2 -> new JsonNumber("1e" + (r.nextBoolean() ? "-" : "") + "999999999");
            case 3 -> new JsonNumber("-" + r.nextInt(100000));
            case 4 -> {
                List<JsonValue> l = new ArrayList<>();
                int n = 100 + r.nextInt(1500);
                JsonValue element = json(r, 1);
                for (int i = 0; i < n; i++) {
                    l.add(element);
                }
                yield new JsonArray(l);
            }
            case 5 -> {
                JsonValue v = new JsonString("deep");
                int n = 10 + r.nextInt(200);
                for (int i = 0; i < n; i++) {
                    v = r.nextBoolean() ? new JsonArray(List.of(v)) : new JsonObject(Map.of("k", v));
                }
                yield v;
            }
            case 6 -> new JsonString(text(r, 40));
            case 7 -> new JsonString(r.nextBoolean() ? "../../bin/sh" : "/opt/cni/bin/macvlan");
            default -> json(r, 2);
        };
    }

    /** {@code value} with 1 to 4 random changes: members deleted, values replaced by other types or hostile ones. */
    public static JsonValue mutate(Random r, JsonValue value) {
        JsonValue v = value;
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            v = mutateOnce(r, v, 0);
        }
        return v;
    }

    private static JsonValue mutateOnce(Random r, JsonValue v, int depth) {
        // Descend into a random child with probability growing with the size of the container.
        switch (v) {
            case JsonObject o when !o.members().isEmpty() && r.nextInt(4) != 0 -> {
                List<String> keys = new ArrayList<>(o.members().keySet());
                String key = keys.get(r.nextInt(keys.size()));
                int action = r.nextInt(10);
                if (action == 0) {
                    return o.without(key);
                }
                if (action == 1) {
                    return o.with(word(r), json(r, 2));
                }
                return o.with(key, mutateOnce(r, o.members().get(key), depth + 1));
            }
            case JsonArray a when !a.elements().isEmpty() && r.nextInt(4) != 0 -> {
                List<JsonValue> l = new ArrayList<>(a.elements());
                int index = r.nextInt(l.size());
                int action = r.nextInt(10);
                if (action == 0) {
                    l.remove(index);
                } else if (action == 1) {
                    l.add(index, l.get(index));
                } else if (action == 2) {
                    l.add(json(r, 2));
                } else {
                    l.set(index, mutateOnce(r, l.get(index), depth + 1));
                }
                return new JsonArray(l);
            }
            default -> {
                return switch (r.nextInt(6)) {
                    case 0 -> hostile(r);
                    case 1 -> swapType(r, v);
                    case 2 -> v instanceof JsonString s ? new JsonString(mutateText(r, s.value())) : json(r, 1);
                    case 3 -> JsonNull.INSTANCE;
                    default -> json(r, 2);
                };
            }
        }
    }

    /** The same information in another JSON type: "100" for 100, 100 for "100", [x] for x, ... */
    static JsonValue swapType(Random r, JsonValue v) {
        return switch (v) {
            case JsonString s -> r.nextBoolean() ? new JsonArray(List.of(s)) : isNumber(s.value()) ? new JsonNumber(s.value()) : JsonBool.TRUE;
            case JsonNumber n -> r.nextBoolean() ? new JsonString(n.text()) : new JsonArray(List.of(n));
            case JsonBool b -> new JsonString(Boolean.toString(b.value()));
            case JsonNull ignored -> new JsonString("null");
            case JsonObject o -> new JsonArray(new ArrayList<>(o.members().values()));
            case JsonArray a -> a.elements().isEmpty() ? JsonObject.empty() : a.elements().get(0);
        };
    }

    private static boolean isNumber(String s) {
        try {
            return Json.parse(s) instanceof JsonNumber;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@code text} with 1 to 4 edits: deletions, insertions of tokens, duplications, truncation, byte flips. */
    public static String mutateText(Random r, String text) {
        StringBuilder sb = new StringBuilder(text);
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            int len = sb.length();
            int at = len == 0 ? 0 : r.nextInt(len + 1);
            switch (r.nextInt(8)) {
                case 0 -> {
                    if (len > 0) {
                        int end = Math.min(len, at + 1 + r.nextInt(8));
                        sb.delete(Math.min(at, len - 1), end);
                    }
                }
                case 1 -> sb.insert(at, TOKENS[r.nextInt(TOKENS.length)]);
                case 2 -> {
                    if (len > 0 && at < len) {
                        sb.setCharAt(at, (char) r.nextInt(0x10000));
                    }
                }
                case 3 -> {
                    if (len > 0) {
                        int start = r.nextInt(len);
                        int end = Math.min(len, start + 1 + r.nextInt(40));
                        sb.insert(at, sb.substring(start, end));
                    }
                }
                case 4 -> sb.setLength(at);
                case 5 -> sb.insert(at, text(r, 6));
                case 6 -> {
                    if (len > 0 && at < len) {
                        char c = sb.charAt(at);
                        sb.setCharAt(at, (char) (c ^ (1 << r.nextInt(8))));
                    }
                }
                default -> sb.insert(at, r.nextBoolean() ? "[".repeat(1 + r.nextInt(300)) : "9".repeat(1 + r.nextInt(120)));
            }
        }
        return sb.toString();
    }

    /** Fields of the bundled plugins and the values at the edges of what they accept. */
    static final List<List<Object>> MACVLAN_FIELDS = List.of(List.of("master"), List.of("mode"), List.of("mtu"), List.of("vlan"),
            List.of("mac"), List.of("linkInContainer"), List.of("bcqueuelen"), List.of("ipam", "type"),
            List.of("ipam", "addresses", 0, "address"), List.of("ipam", "addresses", 0, "gateway"), List.of("ipam", "addresses"),
            List.of("ipam", "routes", 0, "dst"), List.of("ipam", "routes", 0, "gw"), List.of("ipam", "routes", 0, "mtu"),
            List.of("ipam", "dns", "nameservers", 0), List.of("ipam", "dns", "domain"), List.of("ipam"), List.of("runtimeConfig", "mac"),
            List.of("args", "cni", "ips", 0), List.of("name"), List.of("cniVersion"));
    static final List<List<Object>> ROUTE_OVERRIDE_FIELDS = List.of(List.of("flushroutes"), List.of("flushgateway"), List.of("skipcheck"),
            List.of("addroutes", 0, "dst"), List.of("addroutes", 0, "gw"), List.of("addroutes", 0, "metric"),
            List.of("addroutes", 0, "priority"), List.of("addroutes", 0, "table"), List.of("addroutes", 0, "mtu"),
            List.of("addroutes", 0, "scope"), List.of("addroutes", 0), List.of("delroutes", 0, "dst"), List.of("delroutes", 0, "gw"),
            List.of("args", "cni", "flushroutes"), List.of("args", "cni", "addroutes"), List.of("addroutes"));
    static final String[] EDGE_VALUES = {
            "0", "-1", "1", "67", "68", "1500", "9000", "4094", "4095", "65535", "65536", "4294967295", "4294967296", "1.5e3", "1e2",
            "100.0", "1E3", "-0", "0.5", "null", "true", "false", "\"true\"", "\"100\"", "\"\"", "{}", "[]",
            "\"eth0\"", "\"br-ex\"", "\"aaaaaaaaaaaaaaa\"", "\"aaaaaaaaaaaaaaaa\"", "\"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\"",
            "\"eth/0\"", "\"eth 0\"", "\"..\"", "\"bridge\"", "\"passthru\"", "\"Bridge\"",
            "\"0a:58:0a:80:00:05\"", "\"0a:58-0a:80:00:05\"", "\"0A-58-0A-80-00-05\"", "\"01:00:5e:00:00:01\"",
            "\"00:00:00:00:00:00\"", "\"0a580a800005\"", "\"0a:58:0a:80:00:05:01\"",
            "\"192.168.1.10/24\"", "\"192.168.1.0/24\"", "\"192.168.1.255/24\"", "\"192.168.1.1\"", "\"10.0.0.0/8\"",
            "\"10.0.0.1/8\"", "\"2001:db8::1/64\"", "\"2001:db8::1\"", "\"0.0.0.0/0\"", "\"300.1.1.1/24\"", "\"1.2.3.4/33\"",
            "\"static\"", "\"host-local\"", "\"../static\"", "\"1.0.0\"", "\"0.2.0\"", "\"1.1.0\"", "\"9.9.9\"",
            "{\"dst\": \"10.0.0.0/8\"}", "[{\"address\": \"10.1.0.2/24\"}]", "[{\"dst\": \"172.16.0.0/12\", \"gw\": \"10.1.0.1\"}]",
            "\"254\"", "253", "255", "256",
    };

    /**
     * {@code tree} with one to three fields of one bundled plugin ({@code macvlan} with its IPAM, or
     * {@code route-override}) set to values at the edge of what the plugins accept. A config without a
     * bundled plugin comes back unchanged.
     */
    public static JsonValue pluginFieldEdit(Random r, JsonValue tree) {
        if (!(tree instanceof JsonObject config)) {
            return tree;
        }
        List<List<Object>> plugins = new ArrayList<>();
        if (config.has("type")) {
            plugins.add(List.of());
        } else if (config.get("plugins").orElse(null) instanceof JsonArray a) {
            for (int i = 0; i < a.elements().size(); i++) {
                plugins.add(List.of("plugins", i));
            }
        }
        List<List<Object>> bundled = new ArrayList<>();
        for (List<Object> p : plugins) {
            JsonValue plugin = get(config, p);
            if (plugin instanceof JsonObject o && o.get("type").orElse(null) instanceof JsonString t
                    && (t.value().equals("macvlan") || t.value().equals("route-override"))) {
                bundled.add(p);
            }
        }
        if (bundled.isEmpty()) {
            return tree;
        }
        List<Object> plugin = pick(r, bundled);
        boolean macvlan = get(config, plugin) instanceof JsonObject o && o.get("type").orElse(null) instanceof JsonString t
                && t.value().equals("macvlan");
        JsonValue out = config;
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            List<Object> field = new ArrayList<>(plugin);
            field.addAll(pick(r, macvlan ? MACVLAN_FIELDS : ROUTE_OVERRIDE_FIELDS));
            out = r.nextInt(12) == 0 ? remove(out, field) : set(out, field, Json.parse(EDGE_VALUES[r.nextInt(EDGE_VALUES.length)]));
        }
        return out;
    }

    private static JsonValue get(JsonValue v, List<Object> path) {
        for (Object step : path) {
            if (step instanceof String key && v instanceof JsonObject o) {
                v = o.get(key).orElse(null);
            } else if (step instanceof Integer i && v instanceof JsonArray a && i < a.elements().size()) {
                v = a.elements().get(i);
            } else {
                return null;
            }
        }
        return v;
    }

    /** {@code root} with the value at {@code path} replaced (objects and arrays on the way are created). */
    static JsonValue set(JsonValue root, List<Object> path, JsonValue value) {
        if (path.isEmpty()) {
            return value;
        }
        Object step = path.get(0);
        List<Object> rest = path.subList(1, path.size());
        if (step instanceof String key) {
            JsonObject o = root instanceof JsonObject obj ? obj : JsonObject.empty();
            return o.with(key, set(o.get(key).orElse(null), rest, value));
        }
        int index = (Integer) step;
        List<JsonValue> l = root instanceof JsonArray a ? new ArrayList<>(a.elements()) : new ArrayList<>();
        if (index < l.size()) {
            l.set(index, set(l.get(index), rest, value));
        } else {
            l.add(set(null, rest, value));
        }
        return new JsonArray(l);
    }

    private static JsonValue remove(JsonValue root, List<Object> path) {
        if (path.isEmpty() || get(root, path) == null) {
            return root;
        }
        List<Object> parent = path.subList(0, path.size() - 1);
        Object last = path.get(path.size() - 1);
        JsonValue container = get(root, parent);
        if (last instanceof String key && container instanceof JsonObject o) {
            return set(root, parent, o.without(key));
        }
        if (last instanceof Integer i && container instanceof JsonArray a) {
            List<JsonValue> l = new ArrayList<>(a.elements());
            l.remove((int) i);
            return set(root, parent, new JsonArray(l));
        }
        return root;
    }

    public static <T> T pick(Random r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }
}
