package io.netattach.cni;

import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A CNI result in version-neutral form (the 1.0.0/1.1.0 model). {@link #fromJson} reads results of
 * every version: 0.1.0/0.2.0 ({@code ip4}/{@code ip6} objects), 0.3.x/0.4.0 ({@code ips[].version})
 * and 1.0.0/1.1.0. {@link #toJson(CniVersion)} writes it in the requested version, which is how a
 * plugin converts its result to the config's {@code cniVersion}.
 *
 * @param cniVersion the version the result was read in (or produced for)
 */
public record Result(CniVersion cniVersion, List<Interface> interfaces, List<IpConfig> ips, List<Route> routes,
                     Dns dns) {

    public Result {
        interfaces = List.copyOf(interfaces == null ? List.of() : interfaces);
        ips = List.copyOf(ips == null ? List.of() : ips);
        routes = List.copyOf(routes == null ? List.of() : routes);
        dns = dns == null ? Dns.EMPTY : dns;
    }

    public static Result empty(CniVersion version) {
        return new Result(version, List.of(), List.of(), List.of(), Dns.EMPTY);
    }

    public Result withRoutes(List<Route> newRoutes) {
        return new Result(cniVersion, interfaces, ips, newRoutes, dns);
    }

    public Result withIps(List<IpConfig> newIps) {
        return new Result(cniVersion, interfaces, newIps, routes, dns);
    }

    public Result withInterfaces(List<Interface> newInterfaces) {
        return new Result(cniVersion, newInterfaces, ips, routes, dns);
    }

    public Result withDns(Dns newDns) {
        return new Result(cniVersion, interfaces, ips, routes, newDns);
    }

    /** Interfaces that live in the container (non-empty {@code sandbox}). */
    public List<Interface> sandboxInterfaces() {
        return interfaces.stream().filter(Interface::inSandbox).toList();
    }

    /**
     * Reads a result of any version. {@code path} names the object in messages (e.g. {@code prevResult}).
     * The version is the result's own {@code cniVersion} when valid, else {@code fallback}.
     */
    public static Result fromJson(JsonValue value, String path, CniVersion fallback) {
        if (!(value instanceof JsonObject o)) {
            throw Fields.invalid(path, "an object", value);
        }
        CniVersion version = Fields.string(o, path, "cniVersion").flatMap(CniVersion::parse).orElse(fallback);
        boolean legacy = !o.has("ips") && !o.has("interfaces") && (o.has("ip4") || o.has("ip6"));
        Dns dns = Fields.object(o, path, "dns").map(d -> Dns.fromJson(d, Fields.path(path, "dns"))).orElse(Dns.EMPTY);
        if (legacy) {
            List<IpConfig> ips = new ArrayList<>();
            List<Route> routes = new ArrayList<>();
            for (String key : List.of("ip4", "ip6")) {
                Optional<JsonObject> ip = Fields.object(o, path, key);
                if (ip.isEmpty()) {
                    continue;
                }
                String p = Fields.path(path, key);
                IpPrefix address = Fields.cidr(ip.get(), p, "ip")
                        .orElseThrow(() -> CniException.config("field \"" + Fields.path(p, "ip") + "\" is required"));
                ips.add(new IpConfig(address, Fields.ip(ip.get(), p, "gateway").orElse(null), null));
                routes.addAll(Fields.objects(ip.get(), p, "routes", Route::fromJson));
            }
            return new Result(version, List.of(), ips, routes, dns);
        }
        List<Interface> interfaces = Fields.objects(o, path, "interfaces", Interface::fromJson);
        List<IpConfig> ips = Fields.objects(o, path, "ips", IpConfig::fromJson);
        for (int i = 0; i < ips.size(); i++) {
            Integer index = ips.get(i).interfaceIndex();
            if (index != null && index >= interfaces.size()) {
                throw CniException.config("field \"" + path + ".ips[" + i + "].interface\": index " + index
                        + " but there are " + interfaces.size() + " interfaces");
            }
        }
        List<Route> routes = Fields.objects(o, path, "routes", Route::fromJson);
        return new Result(version, interfaces, ips, routes, dns);
    }

    /** Parses result JSON text (e.g. a delegated plugin's stdout); malformed JSON is code 6. */
    public static Result parse(String text, String path, CniVersion fallback) {
        JsonValue value;
        try {
            value = Json.parse(text);
        } catch (JsonException e) {
            throw CniException.decode(path + ": " + e.getMessage());
        }
        return fromJson(value, path, fallback);
    }

    /**
     * The result as JSON of {@code version}. 0.1.0/0.2.0 keep the first address of each family (with
     * the routes of that family), as the reference library converts; a result without any address
     * cannot be expressed in those versions.
     */
    public JsonObject toJson(CniVersion version) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("cniVersion", new JsonString(version.text()));
        if (!version.supportsChaining()) {
            IpConfig ip4 = ips.stream().filter(IpConfig::isIpv4).findFirst().orElse(null);
            IpConfig ip6 = ips.stream().filter(i -> !i.isIpv4()).findFirst().orElse(null);
            if (ip4 == null && ip6 == null) {
                throw CniException.internal("cannot convert result to version " + version
                        + ": no IP addresses");
            }
            if (ip4 != null) {
                m.put("ip4", legacyIp(ip4, true));
            }
            if (ip6 != null) {
                m.put("ip6", legacyIp(ip6, false));
            }
        } else {
            if (!interfaces.isEmpty()) {
                m.put("interfaces", new JsonArray(interfaces.stream().<JsonValue>map(i -> i.toJson(version)).toList()));
            }
            if (!ips.isEmpty()) {
                m.put("ips", new JsonArray(ips.stream().<JsonValue>map(i -> i.toJson(version)).toList()));
            }
            if (!routes.isEmpty()) {
                m.put("routes", new JsonArray(routes.stream().<JsonValue>map(Route::toJson).toList()));
            }
        }
        if (!dns.isEmpty()) {
            m.put("dns", dns.toJson());
        }
        return new JsonObject(m);
    }

    private JsonObject legacyIp(IpConfig ip, boolean v4) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("ip", new JsonString(ip.address().toString()));
        InetAddress gw = ip.gateway();
        if (gw != null) {
            m.put("gateway", new JsonString(IpPrefix.format(gw)));
        }
        List<JsonValue> r = routes.stream().filter(x -> x.isIpv4() == v4).<JsonValue>map(Route::toJson).toList();
        if (!r.isEmpty()) {
            m.put("routes", new JsonArray(r));
        }
        return new JsonObject(m);
    }
}
