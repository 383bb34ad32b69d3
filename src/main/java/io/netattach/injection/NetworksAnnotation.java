package io.netattach.injection;

import io.netattach.cni.IpPrefix;
import io.netattach.cni.Json;
import io.netattach.cni.JsonException;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonNull;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;
import io.netattach.cni.Finding;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Codec and checks of the Multus network selection annotation {@code k8s.v1.cni.cncf.io/networks}.
 *
 * <p>Parsing follows Multus ({@code parsePodNetworkAnnotation}): a value containing any of
 * {@code [}, <code>{</code> or {@code "} is a JSON list of selection elements; anything else is the
 * comma form {@code [namespace/]name[@interface], ...}. The empty value means no networks.
 * Rendering always produces the JSON form, keeping every field each element had (unknown keys too).
 *
 * <p>Pure and thread-safe.
 */
public final class NetworksAnnotation {

    public static final String KEY = "k8s.v1.cni.cncf.io/networks";
    /** JSON Pointer of the annotation inside a pod. */
    public static final String POINTER = "/metadata/annotations/" + Finding.escape(KEY);

    /** Which of the two Multus formats a value was written in. */
    public enum Format { JSON, COMMA }

    /** The outcome of {@link #parse(String)}. */
    public sealed interface ParseResult permits Parsed, Malformed {
    }

    /**
     * A well-formed value.
     *
     * @param warnings remarks that do not make the value unusable (duplicate keys, deprecated fields)
     */
    public record Parsed(Format format, List<NetworkSelection> elements, List<Finding> warnings) implements ParseResult {
        public Parsed {
            elements = List.copyOf(elements);
            warnings = List.copyOf(warnings);
        }
    }

    /** A value Multus would refuse to parse; {@code errors} say why, each naming the element and field. */
    public record Malformed(List<Finding> errors) implements ParseResult {
        public Malformed {
            errors = List.copyOf(errors);
        }

        /** The reasons on one line. */
        public String reason() {
            return String.join("; ", errors.stream().map(Finding::message).toList());
        }
    }

    /** Longest interface name Linux accepts, in bytes of UTF-8 (IFNAMSIZ - 1). */
    public static final int MAX_INTERFACE_LENGTH = io.netattach.cni.InterfaceName.MAX_LENGTH;

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private static final Set<String> STRING_FIELDS =
            Set.of("namespace", "interface", "mac", "infiniband-guid", "ipam-claim-reference", "interfaceRequest", "deviceID");
    private static final Set<String> STRING_LIST_FIELDS = Set.of("ips", "default-route");
    private static final Set<String> OBJECT_FIELDS = Set.of("bandwidth", "cni-args");

    private NetworksAnnotation() {
    }

    // ------------------------------------------------------------------ parsing

    /** Parses an annotation value; never throws. */
    public static ParseResult parse(String value) {
        if (value == null || value.isEmpty()) {
            return new Parsed(Format.COMMA, List.of(), List.of());
        }
        if (value.indexOf('[') >= 0 || value.indexOf('{') >= 0 || value.indexOf('"') >= 0) {
            return parseJson(value);
        }
        return parseComma(value);
    }

    private static ParseResult parseJson(String value) {
        JsonValue root;
        try {
            root = Json.parse(value);
        } catch (JsonException e) {
            return malformed(POINTER, KEY + " is not valid JSON: " + e.getMessage() + " (value " + quoteShort(value) + ")");
        }
        if (!(root instanceof JsonArray array)) {
            return malformed(POINTER, KEY + " must be a JSON list of network selection objects, got " + describe(root));
        }
        List<Finding> errors = new ArrayList<>();
        List<Finding> warnings = new ArrayList<>();
        List<NetworkSelection> elements = new ArrayList<>();
        for (int i = 0; i < array.elements().size(); i++) {
            String at = POINTER + "/" + i;
            if (!(array.elements().get(i) instanceof JsonObject object)) {
                errors.add(Finding.error(at, "element " + i + " of " + KEY + " must be an object, got " + describe(array.elements().get(i))));
                continue;
            }
            int before = errors.size();
            for (String key : object.duplicateKeys()) {
                warnings.add(Finding.warning(at + "/" + Finding.escape(key),
                        "key " + quoteShort(key) + " appears more than once in element " + i + "; the last value is used"));
            }
            for (Map.Entry<String, JsonValue> member : object.members().entrySet()) {
                String problem = typeProblem(member.getKey(), member.getValue());
                if (problem != null) {
                    errors.add(Finding.error(at + "/" + Finding.escape(member.getKey()), problem));
                }
            }
            JsonValue nameValue = object.get("name").orElse(JsonNull.INSTANCE);
            if (nameValue instanceof JsonNull || (nameValue instanceof JsonString s && s.value().isEmpty())) {
                errors.add(Finding.error(at + "/name", "element " + i + " of " + KEY
                        + " has no \"name\": name the NetworkAttachmentDefinition to attach"));
            }
            if (errors.size() > before) {
                continue;
            }
            String name = string(object, "name");
            String requested = emptyToNull(string(object, "interface"));
            String deprecated = emptyToNull(string(object, "interfaceRequest"));
            if (deprecated != null) {
                warnings.add(Finding.warning(at + "/interfaceRequest",
                        "\"interfaceRequest\" is deprecated since Multus 3.2; use \"interface\""));
            }
            elements.add(new NetworkSelection(name, emptyToNull(string(object, "namespace")),
                    requested != null ? requested : deprecated, object));
        }
        if (!errors.isEmpty()) {
            return new Malformed(errors);
        }
        return new Parsed(Format.JSON, elements, warnings);
    }

    /** Why {@code value} cannot be the value of the known field {@code key}, or null. JSON null means absent, as in Go. */
    private static String typeProblem(String key, JsonValue value) {
        if (value instanceof JsonNull) {
            return null;
        }
        if (key.equals("name") || STRING_FIELDS.contains(key)) {
            return value instanceof JsonString ? null : "\"" + key + "\" must be a string, got " + describe(value);
        }
        if (STRING_LIST_FIELDS.contains(key)) {
            if (!(value instanceof JsonArray list)) {
                return "\"" + key + "\" must be a list of strings, got " + describe(value);
            }
            for (int j = 0; j < list.elements().size(); j++) {
                if (!(list.elements().get(j) instanceof JsonString)) {
                    return "\"" + key + "\" must be a list of strings, entry " + j + " is " + describe(list.elements().get(j));
                }
            }
            return null;
        }
        if (OBJECT_FIELDS.contains(key)) {
            return value instanceof JsonObject ? null : "\"" + key + "\" must be an object, got " + describe(value);
        }
        if (key.equals("portMappings")) {
            if (!(value instanceof JsonArray list)) {
                return "\"portMappings\" must be a list of objects, got " + describe(value);
            }
            for (int j = 0; j < list.elements().size(); j++) {
                if (!(list.elements().get(j) instanceof JsonObject)) {
                    return "\"portMappings\" must be a list of objects, entry " + j + " is " + describe(list.elements().get(j));
                }
            }
        }
        return null;
    }

    private static ParseResult parseComma(String value) {
        List<Finding> errors = new ArrayList<>();
        List<NetworkSelection> elements = new ArrayList<>();
        String[] items = value.split(",", -1);
        for (int i = 0; i < items.length; i++) {
            String item = items[i].strip();
            String at = POINTER + "/" + i;
            if (item.isEmpty()) {
                errors.add(Finding.error(at, "item " + i + " of " + KEY + " " + quoteShort(value) + " is empty"));
                continue;
            }
            String[] slash = item.split("/", -1);
            if (slash.length > 2) {
                errors.add(Finding.error(at, "item " + quoteShort(item) + " of " + KEY + " has more than one '/' (expected [namespace/]name[@interface])"));
                continue;
            }
            String namespace = slash.length == 2 ? slash[0] : null;
            String[] at2 = slash[slash.length - 1].split("@", -1);
            if (at2.length > 2) {
                errors.add(Finding.error(at, "item " + quoteShort(item) + " of " + KEY + " has more than one '@' (expected [namespace/]name[@interface])"));
                continue;
            }
            String name = at2[0];
            String requested = at2.length == 2 ? emptyToNull(at2[1]) : null;
            if (name.isEmpty()) {
                errors.add(Finding.error(at + "/name", "item " + quoteShort(item) + " of " + KEY + " has no network name"));
                continue;
            }
            Map<String, JsonValue> fields = new java.util.LinkedHashMap<>();
            fields.put("name", new JsonString(name));
            if (emptyToNull(namespace) != null) {
                fields.put("namespace", new JsonString(namespace));
            }
            if (requested != null) {
                fields.put("interface", new JsonString(requested));
            }
            elements.add(new NetworkSelection(name, emptyToNull(namespace), requested, new JsonObject(fields)));
        }
        if (!errors.isEmpty()) {
            return new Malformed(errors);
        }
        return new Parsed(Format.COMMA, elements, List.of());
    }

    // ------------------------------------------------------------------ rendering

    /** The JSON form of {@code elements}: compact, each element with all its fields in their order. */
    public static String render(List<NetworkSelection> elements) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(Json.write(elements.get(i).fields()));
        }
        return sb.append(']').toString();
    }

    // ------------------------------------------------------------------ semantic checks

    /**
     * The findings of well-formed elements: names and namespaces must be DNS-1123 labels; interface
     * names valid, not {@code eth0} and unique (counting the {@code net<N>} names Multus gives
     * elements without one); {@code ips} IPs or CIDRs; {@code mac} / {@code infiniband-guid} MAC
     * addresses; at most one default route per IP family.
     */
    public static List<Finding> validate(List<NetworkSelection> elements) {
        List<Finding> findings = new ArrayList<>();
        Map<String, Integer> interfaces = new HashMap<>();
        int[] defaultRoutes = new int[2];
        String[] firstDefault = new String[2];
        for (int i = 0; i < elements.size(); i++) {
            NetworkSelection e = elements.get(i);
            String at = POINTER + "/" + i;
            if (!isDns1123Label(e.name())) {
                findings.add(Finding.error(at + "/name", "network name " + quoteShort(e.name())
                        + " is not a DNS-1123 label (lower case alphanumerics and '-', at most 63 characters, starting and ending alphanumeric)"));
            }
            if (e.namespace() != null && !isDns1123Label(e.namespace())) {
                findings.add(Finding.error(at + "/namespace", "namespace " + quoteShort(e.namespace())
                        + " is not a DNS-1123 label (lower case alphanumerics and '-', at most 63 characters, starting and ending alphanumeric)"));
            }
            String interfaceField = e.fields().has("interface") || !e.fields().has("interfaceRequest") ? "interface" : "interfaceRequest";
            String effective = effectiveInterface(e, i);
            if (e.interfaceName() != null) {
                String problem = interfaceProblem(e.interfaceName());
                if (problem != null) {
                    findings.add(Finding.error(at + "/" + interfaceField, problem));
                }
            }
            Integer previous = interfaces.putIfAbsent(effective, i);
            if (previous != null) {
                String other = elements.get(previous).interfaceName() == null
                        ? "the name Multus gives element " + previous + " (" + shown(elements.get(previous).name()) + "), which requests no interface"
                        : "already requested by element " + previous + " (" + shown(elements.get(previous).name()) + ")";
                String self = e.interfaceName() == null
                        ? "element " + i + " (" + shown(e.name()) + ") requests no interface, so Multus names it " + quoteShort(effective) + ", "
                        : "interface " + quoteShort(effective) + " of element " + i + " (" + shown(e.name()) + ") is ";
                findings.add(Finding.error(at + (e.interfaceName() == null ? "" : "/" + interfaceField), self + other
                        + "; Multus fails the pod with \"interface name " + effective + " already exists\""));
            }
            stringList(e.fields(), "ips").ifPresent(ips -> {
                for (int j = 0; j < ips.size(); j++) {
                    String ip = ips.get(j);
                    boolean ok = ip.indexOf('/') >= 0 ? IpPrefix.parse(ip).isPresent() : IpPrefix.parseAddress(ip).isPresent();
                    if (!ok) {
                        findings.add(Finding.error(at + "/ips/" + j, "ips entry " + quoteShort(ip) + " of network " + shown(e.name()) + " is neither an IP address nor a CIDR"));
                    }
                }
            });
            for (String macField : List.of("mac", "infiniband-guid")) {
                String mac = emptyToNull(string(e.fields(), macField));
                if (mac != null && !isMac(mac)) {
                    findings.add(Finding.error(at + "/" + macField, "\"" + macField + "\" " + quoteShort(mac) + " of network " + shown(e.name())
                            + " is not a MAC address (6, 8 or 20 hex octets separated by ':' or '-', or dot-separated groups of 4)"));
                }
            }
            int index = i;
            stringList(e.fields(), "default-route").ifPresent(routes -> {
                for (int j = 0; j < routes.size(); j++) {
                    Optional<InetAddress> gateway = IpPrefix.parseAddress(routes.get(j));
                    if (gateway.isEmpty()) {
                        findings.add(Finding.error(at + "/default-route/" + j, "default-route entry " + quoteShort(routes.get(j))
                                + " of network " + shown(e.name()) + " is not an IP address"));
                        continue;
                    }
                    int family = gateway.get() instanceof Inet4Address ? 0 : 1;
                    defaultRoutes[family]++;
                    if (defaultRoutes[family] == 1) {
                        firstDefault[family] = "element " + index + " (" + shown(e.name()) + ")";
                    } else {
                        findings.add(Finding.error(at + "/default-route/" + j, "more than one " + (family == 0 ? "IPv4" : "IPv6")
                                + " default-route: " + quoteShort(routes.get(j)) + " of element " + index + " (" + shown(e.name()) + ") and one of "
                                + firstDefault[family] + "; Multus refuses this (\"multus does not support ECMP for default-route\")"));
                    }
                }
            });
        }
        return findings;
    }

    /** The interface Multus gives element {@code index}: the requested one, else {@code net<index+1>}. */
    public static String effectiveInterface(NetworkSelection element, int index) {
        return element.interfaceName() != null ? element.interfaceName() : "net" + (index + 1);
    }

    /** Why {@code name} cannot be a pod interface name requested through the annotation, or null. */
    public static String interfaceProblem(String name) {
        if (name.isEmpty()) {
            return "interface name must not be empty";
        }
        java.util.Optional<String> problem = io.netattach.cni.InterfaceName.problem(name);
        if (problem.isPresent()) {
            return "interface name " + quoteShort(name) + " is not a valid Linux interface name: " + problem.get();
        }
        if (name.equals("eth0")) {
            return "interface name \"eth0\" is the pod's cluster network interface; request another name";
        }
        return null;
    }

    public static boolean isDns1123Label(String s) {
        return s.length() <= 63 && DNS1123_LABEL.matcher(s).matches();
    }

    /** Go's {@code net.ParseMAC}: 6, 8 or 20 octets as {@code xx:xx..}, {@code xx-xx..} or {@code xxxx.xxxx..}. */
    public static boolean isMac(String s) {
        int len = s.length();
        if (len < 14) {
            return false;
        }
        int octets;
        if (s.charAt(2) == ':' || s.charAt(2) == '-') {
            if ((len + 1) % 3 != 0) {
                return false;
            }
            octets = (len + 1) / 3;
            char separator = s.charAt(2);
            for (int k = 0; k < octets; k++) {
                int p = k * 3;
                if (!hex(s.charAt(p)) || !hex(s.charAt(p + 1)) || (k < octets - 1 && s.charAt(p + 2) != separator)) {
                    return false;
                }
            }
        } else if (s.charAt(4) == '.') {
            if ((len + 1) % 5 != 0) {
                return false;
            }
            octets = 2 * (len + 1) / 5;
            for (int k = 0; k < octets / 2; k++) {
                int p = k * 5;
                for (int h = 0; h < 4; h++) {
                    if (!hex(s.charAt(p + h))) {
                        return false;
                    }
                }
                if (k < octets / 2 - 1 && s.charAt(p + 4) != '.') {
                    return false;
                }
            }
        } else {
            return false;
        }
        return octets == 6 || octets == 8 || octets == 20;
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    // ------------------------------------------------------------------ helpers

    static String string(JsonObject object, String key) {
        return object.get(key).filter(v -> v instanceof JsonString).map(v -> ((JsonString) v).value()).orElse(null);
    }

    static Optional<List<String>> stringList(JsonObject object, String key) {
        return object.get(key).filter(v -> v instanceof JsonArray).map(v -> ((JsonArray) v).elements().stream()
                .filter(x -> x instanceof JsonString).map(x -> ((JsonString) x).value()).toList());
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static Malformed malformed(String path, String message) {
        return new Malformed(List.of(Finding.error(path, message)));
    }

    /** A value's type and abbreviated text for messages: {@code number 5}, {@code string "x"}. */
    static String describe(JsonValue value) {
        String text = Json.write(value);
        if (text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        return value.typeName() + " " + text;
    }

    /**
     * A network name as messages show it: as is when it is a DNS-1123 label (the usual case), else
     * quoted and abbreviated, so that a hostile name cannot break the message into lines or make it huge.
     */
    static String shown(String name) {
        return isDns1123Label(name) ? name : quoteShort(name);
    }

    /** {@code s} quoted as JSON, abbreviated to about 100 characters. */
    static String quoteShort(String s) {
        return io.netattach.cni.Text.oneLine(Json.quote(s.length() > 100 ? s.substring(0, 97) + "..." : s));
    }
}
