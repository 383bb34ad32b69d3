package io.netattach.plugin.staticipam;

import io.netattach.cni.CniError;
import io.netattach.cni.CniException;
import io.netattach.cni.CniVersion;
import io.netattach.cni.Dns;
import io.netattach.cni.IpConfig;
import io.netattach.cni.Result;
import io.netattach.cni.Route;
import io.netattach.cni.IpPrefix;
import io.netattach.plugin.CniArgs;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonNumber;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;
import io.netattach.plugin.staticipam.StaticIpamConfig.Address;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The static IPAM plugin's logic as pure functions: config (+ CNI_ARGS) in, effective configuration,
 * result and CHECK verdict out. Behaves as the reference {@code static} plugin (containernetworking/plugins)
 * with stricter validation: every malformed value is rejected with a message that names the field and
 * quotes the value.
 *
 * <p>Overrides, in the reference order: CNI_ARGS {@code IP=} (comma-separated CIDRs, appended) and
 * {@code GATEWAY=} (comma-separated; each becomes the gateway of the {@code IP=} addresses whose subnet
 * contains it); {@code args.cni.ips} replaces all addresses; {@code runtimeConfig.ips} (capability
 * {@code ips}) replaces all addresses.
 */
public final class StaticIpam {

    /** CNI error code: invalid environment variables (CNI_ARGS). */
    public static final int CODE_INVALID_ENV = CniError.CODE_INVALID_ENVIRONMENT;
    /** CNI error code: invalid network config. */
    public static final int CODE_INVALID_CONFIG = CniError.CODE_INVALID_NETWORK_CONFIG;

    private static final Pattern MAC = Pattern.compile("[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}");

    private StaticIpam() {
    }

    /**
     * Loads the effective configuration from the full network config (as delegated by the main plugin)
     * and the raw CNI_ARGS string ({@code K=V;K2=V2}, may be empty).
     */
    public static StaticIpamConfig load(JsonObject conf, CniVersion version, String cniArgs) {
        return load(conf, version, parseCniArgs(cniArgs));
    }

    /** As {@link #load(JsonObject, CniVersion, String)} with CNI_ARGS already parsed (skeleton request). */
    public static StaticIpamConfig load(JsonObject conf, CniVersion version, Map<String, String> envArgs) {
        String name = conf.get("name").filter(v -> v instanceof JsonString).map(v -> ((JsonString) v).value())
                .orElse("");
        JsonValue ipamValue = conf.get("ipam").orElse(null);
        if (ipamValue == null || ipamValue instanceof JsonValue.JsonNull) {
            throw invalid("IPAM config missing 'ipam' key");
        }
        JsonObject ipam = object(ipamValue, "ipam");

        List<Address> addresses = new ArrayList<>();
        List<String> addressSources = new ArrayList<>();
        JsonArray addressArray = optionalArray(ipam, "addresses", "ipam.addresses");
        if (addressArray != null) {
            for (int i = 0; i < addressArray.elements().size(); i++) {
                String path = "ipam.addresses[" + i + "]";
                JsonObject a = object(addressArray.elements().get(i), path);
                String text = requiredString(a, "address", path + ".address");
                IpPrefix prefix = cidr(text, path + ".address", CODE_INVALID_CONFIG);
                Optional<InetAddress> gateway = Optional.empty();
                String gwText = optionalString(a, "gateway", path + ".gateway");
                if (gwText != null) {
                    InetAddress gw = ip(gwText, path + ".gateway", CODE_INVALID_CONFIG);
                    if (IpPrefix.bits(gw) != IpPrefix.bits(prefix.address())) {
                        throw invalid(path + ".gateway: \"" + gwText + "\" is IPv" + (IpPrefix.bits(gw) == 32 ? 4 : 6)
                                + " but the address \"" + text + "\" is IPv" + prefix.family());
                    }
                    gateway = Optional.of(gw);
                }
                addresses.add(new Address(prefix, gateway));
                addressSources.add(path + ".address");
            }
        }

        // CNI_ARGS IP= / GATEWAY=
        String ipArg = envArgs.get("IP");
        if (ipArg != null && !ipArg.isEmpty()) {
            List<Address> fromArgs = new ArrayList<>();
            for (String item : ipArg.split(",", -1)) {
                String text = item.strip();
                IpPrefix prefix = cidr(text, "CNI_ARGS IP", CODE_INVALID_ENV);
                fromArgs.add(new Address(prefix, Optional.empty()));
            }
            String gwArg = envArgs.get("GATEWAY");
            if (gwArg != null && !gwArg.isEmpty()) {
                for (String item : gwArg.split(",", -1)) {
                    InetAddress gw = ip(item.strip(), "CNI_ARGS GATEWAY", CODE_INVALID_ENV);
                    for (int i = 0; i < fromArgs.size(); i++) {
                        if (fromArgs.get(i).address().contains(gw)) {
                            fromArgs.set(i, new Address(fromArgs.get(i).address(), Optional.of(gw)));
                        }
                    }
                }
            }
            for (Address a : fromArgs) {
                addresses.add(a);
                addressSources.add("CNI_ARGS IP");
            }
        } else if (envArgs.containsKey("GATEWAY") && !envArgs.get("GATEWAY").isEmpty()) {
            // GATEWAY= only applies to IP= addresses; still validate it
            for (String item : envArgs.get("GATEWAY").split(",", -1)) {
                ip(item.strip(), "CNI_ARGS GATEWAY", CODE_INVALID_ENV);
            }
        }

        // args.cni.ips replaces everything
        JsonValue argsValue = conf.get("args").orElse(null);
        if (argsValue != null && !(argsValue instanceof JsonValue.JsonNull)) {
            JsonObject args = object(argsValue, "args");
            JsonValue cniValue = args.get("cni").orElse(null);
            if (cniValue != null && !(cniValue instanceof JsonValue.JsonNull)) {
                JsonObject cni = object(cniValue, "args.cni");
                List<Address> ips = ipsList(cni, "args.cni.ips");
                if (!ips.isEmpty()) {
                    addresses = ips;
                    addressSources = sources("args.cni.ips", ips.size());
                }
            }
        }
        // runtimeConfig.ips replaces everything
        JsonValue rcValue = conf.get("runtimeConfig").orElse(null);
        if (rcValue != null && !(rcValue instanceof JsonValue.JsonNull)) {
            JsonObject rc = object(rcValue, "runtimeConfig");
            List<Address> ips = ipsList(rc, "runtimeConfig.ips");
            if (!ips.isEmpty()) {
                addresses = ips;
                addressSources = sources("runtimeConfig.ips", ips.size());
            }
            String mac = optionalString(rc, "mac", "runtimeConfig.mac");
            if (mac != null && !MAC.matcher(mac).matches()) {
                throw invalid("runtimeConfig.mac: \"" + mac + "\" is not a MAC address (expected xx:xx:xx:xx:xx:xx)");
            }
        }

        int v4 = 0;
        int v6 = 0;
        for (int i = 0; i < addresses.size(); i++) {
            IpPrefix p = addresses.get(i).address();
            if (p.isIpv4()) {
                v4++;
            } else {
                v6++;
            }
            for (int j = 0; j < i; j++) {
                if (addresses.get(j).address().address().equals(p.address())) {
                    throw invalid(addressSources.get(i) + ": \"" + p + "\" repeats the address of "
                            + addressSources.get(j));
                }
            }
        }
        if ((v4 > 1 || v6 > 1) && !version.supportsChaining()) {
            throw invalid("CNI version " + version.text() + " does not support more than 1 address per family"
                    + " (got " + v4 + " IPv4 and " + v6 + " IPv6; use cniVersion 0.3.0 or later)");
        }

        List<Route> routes = new ArrayList<>();
        JsonArray routeArray = optionalArray(ipam, "routes", "ipam.routes");
        if (routeArray != null) {
            for (int i = 0; i < routeArray.elements().size(); i++) {
                routes.add(route(routeArray.elements().get(i), "ipam.routes[" + i + "]"));
            }
        }
        Dns dns = Dns.EMPTY;
        JsonValue dnsValue = ipam.get("dns").orElse(null);
        if (dnsValue != null && !(dnsValue instanceof JsonValue.JsonNull)) {
            dns = dns(object(dnsValue, "ipam.dns"), "ipam.dns");
        }
        return new StaticIpamConfig(version, name, addresses, routes, dns);
    }

    /**
     * The ADD result: {@code ips} (address, gateway), the configured {@code routes} and {@code dns};
     * no interfaces (an IPAM plugin creates none). Convert with {@link Result#toJson(CniVersion)}.
     */
    public static Result addResult(StaticIpamConfig config) {
        List<IpConfig> ips = config.addresses().stream()
                .map(a -> new IpConfig(a.address(), a.gateway().orElse(null), null)).toList();
        return new Result(config.cniVersion(), List.of(), ips, config.routes(), config.dns());
    }

    /**
     * CHECK: every configured address must be in {@code prevResult.ips} with the same prefix length and,
     * when a gateway is configured, the same gateway. {@code prevResult} is required.
     */
    public static void check(StaticIpamConfig config, JsonObject conf, String ifname) {
        JsonValue prev = conf.get("prevResult").orElse(null);
        if (prev == null || prev instanceof JsonValue.JsonNull) {
            throw invalid("required prevResult missing");
        }
        Result prevResult = Result.fromJson(prev, "prevResult", config.cniVersion());
        for (Address want : config.addresses()) {
            IpConfig match = prevResult.ips().stream()
                    .filter(a -> a.address().address().equals(want.address().address()))
                    .findFirst().orElse(null);
            if (match == null) {
                throw invalid("static: address " + want.address() + " on interface \"" + ifname
                        + "\" is missing from prevResult");
            }
            if (match.address().prefixLength() != want.address().prefixLength()) {
                throw invalid("static: address " + want.address() + " on interface \"" + ifname
                        + "\" has prefix length " + match.address().prefixLength() + " in prevResult");
            }
            if (want.gateway().isPresent() && !want.gateway().get().equals(match.gateway())) {
                throw invalid("static: gateway of " + want.address() + " on interface \"" + ifname + "\" is "
                        + (match.gateway() == null ? "absent" : IpPrefix.format(match.gateway()))
                        + " in prevResult, expected " + IpPrefix.format(want.gateway().get()));
            }
        }
    }

    // ---- CNI_ARGS ----

    static Map<String, String> parseCniArgs(String cniArgs) {
        return CniArgs.parse(cniArgs, Set.of("IP", "GATEWAY"));
    }

    // ---- field readers ----

    private static Route route(JsonValue value, String path) {
        JsonObject o = object(value, path);
        IpPrefix dst = cidr(requiredString(o, "dst", path + ".dst"), path + ".dst", CODE_INVALID_CONFIG);
        if (dst.hasHostBits()) {
            throw invalid(path + ".dst: \"" + dst + "\" has host bits set (did you mean " + dst.network() + "?)");
        }
        Optional<InetAddress> gw = Optional.empty();
        String gwText = optionalString(o, "gw", path + ".gw");
        if (gwText != null) {
            InetAddress g = ip(gwText, path + ".gw", CODE_INVALID_CONFIG);
            if (IpPrefix.bits(g) != IpPrefix.bits(dst.address())) {
                throw invalid(path + ".gw: \"" + gwText + "\" is not of the same IP family as dst \"" + dst + "\"");
            }
            gw = Optional.of(g);
        }
        OptionalLong mtu = integer(o, "mtu", path + ".mtu", 0, 65535);
        OptionalLong advmss = integer(o, "advmss", path + ".advmss", 0, 65535);
        OptionalLong priority = integer(o, "priority", path + ".priority", 0, 4294967295L);
        OptionalLong table = integer(o, "table", path + ".table", 0, 4294967295L);
        OptionalLong scope = integer(o, "scope", path + ".scope", 0, 255);
        return new Route(dst, gw.orElse(null), toInt(mtu), toInt(advmss), toInt(priority), toInt(table),
                toInt(scope));
    }

    private static Dns dns(JsonObject o, String path) {
        List<String> nameservers = stringList(o, "nameservers", path + ".nameservers");
        for (int i = 0; i < nameservers.size(); i++) {
            ip(nameservers.get(i), path + ".nameservers[" + i + "]", CODE_INVALID_CONFIG);
        }
        String domain = optionalString(o, "domain", path + ".domain");
        return new Dns(nameservers, domain, stringList(o, "search", path + ".search"),
                stringList(o, "options", path + ".options"));
    }

    private static List<Address> ipsList(JsonObject o, String path) {
        List<String> texts = stringList(o, "ips", path);
        List<Address> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            IpPrefix p = IpPrefix.parse(t).orElse(null);
            if (p == null) {
                throw invalid(path + "[" + i + "]: \"" + t + "\" is NOT in CIDR notation (expected ADDRESS/PREFIX,"
                        + " e.g. 192.168.1.10/24)");
            }
            out.add(new Address(p, Optional.empty()));
        }
        return out;
    }

    private static List<String> sources(String path, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(path + "[" + i + "]");
        }
        return out;
    }

    private static Integer toInt(OptionalLong v) {
        return v.isPresent() ? (int) v.getAsLong() : null;
    }

    private static OptionalLong integer(JsonObject o, String key, String path, long min, long max) {
        JsonValue v = o.get(key).orElse(null);
        if (v == null || v instanceof JsonValue.JsonNull) {
            return OptionalLong.empty();
        }
        if (!(v instanceof JsonNumber n)) {
            throw invalid(path + ": expected an integer, got " + v.typeName() + " " + v.toJson());
        }
        Optional<Long> l = n.longValue();
        if (l.isEmpty() || n.text().contains(".") || n.text().contains("e") || n.text().contains("E")) {
            throw invalid(path + ": expected an integer, got " + n.text());
        }
        if (l.get() < min || l.get() > max) {
            throw invalid(path + ": " + n.text() + " is out of range [" + min + ", " + max + "]");
        }
        return OptionalLong.of(l.get());
    }

    private static IpPrefix cidr(String text, String path, int code) {
        return IpPrefix.parse(text).orElseThrow(() -> new CniException(code, path + ": \"" + text
                + "\" is not in CIDR notation (expected ADDRESS/PREFIX, e.g. 192.168.1.10/24)"));
    }

    private static InetAddress ip(String text, String path, int code) {
        return IpPrefix.parseAddress(text).orElseThrow(() -> new CniException(code, path + ": \"" + text
                + "\" is not an IP address"));
    }

    private static JsonObject object(JsonValue v, String path) {
        if (v instanceof JsonObject o) {
            return o;
        }
        throw invalid(path + ": expected an object, got " + v.typeName() + " " + abbreviate(v));
    }

    private static JsonArray optionalArray(JsonObject o, String key, String path) {
        JsonValue v = o.get(key).orElse(null);
        if (v == null || v instanceof JsonValue.JsonNull) {
            return null;
        }
        if (v instanceof JsonArray a) {
            return a;
        }
        throw invalid(path + ": expected an array, got " + v.typeName() + " " + abbreviate(v));
    }

    private static String requiredString(JsonObject o, String key, String path) {
        String s = optionalString(o, key, path);
        if (s == null) {
            throw invalid(path + ": missing (required)");
        }
        return s;
    }

    private static String optionalString(JsonObject o, String key, String path) {
        JsonValue v = o.get(key).orElse(null);
        if (v == null || v instanceof JsonValue.JsonNull) {
            return null;
        }
        if (v instanceof JsonString s) {
            return s.value();
        }
        throw invalid(path + ": expected a string, got " + v.typeName() + " " + abbreviate(v));
    }

    private static List<String> stringList(JsonObject o, String key, String path) {
        JsonArray a = optionalArray(o, key, path);
        if (a == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.elements().size(); i++) {
            if (!(a.elements().get(i) instanceof JsonString s)) {
                throw invalid(path + "[" + i + "]: expected a string, got " + a.elements().get(i).typeName() + " "
                        + abbreviate(a.elements().get(i)));
            }
            out.add(s.value());
        }
        return out;
    }

    private static String abbreviate(JsonValue v) {
        String s = v.toJson();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    private static CniException invalid(String message) {
        return new CniException(CODE_INVALID_CONFIG, message);
    }
}
