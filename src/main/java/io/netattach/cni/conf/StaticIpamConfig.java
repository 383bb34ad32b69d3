package io.netattach.cni.conf;

import io.netattach.cni.CniError;
import io.netattach.cni.CniException;
import io.netattach.cni.CniVersion;
import io.netattach.cni.Dns;
import io.netattach.cni.Fields;
import io.netattach.cni.Findings;
import io.netattach.cni.IpPrefix;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;
import io.netattach.cni.Route;
import io.netattach.cni.Text;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The effective static IPAM configuration of one request, after the overrides of CNI_ARGS,
 * {@code args.cni.ips} and {@code runtimeConfig.ips} are applied.
 *
 * <p>Overrides, in the reference order: CNI_ARGS {@code IP=} (comma-separated CIDRs, appended) and
 * {@code GATEWAY=} (comma-separated; each becomes the gateway of the {@code IP=} addresses whose subnet
 * contains it); {@code args.cni.ips} replaces all addresses; {@code runtimeConfig.ips} (capability
 * {@code ips}) replaces all addresses.
 */
public record StaticIpamConfig(CniVersion cniVersion, String name, List<Address> addresses, List<Route> routes,
                               Dns dns) {

    /** The fields of a static {@code ipam} object; others are ignored (with a warning). */
    public static final Set<String> FIELDS = Set.of("type", "addresses", "routes", "dns");

    public StaticIpamConfig {
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
    }

    /** One address ({@code 192.168.100.10/24}, host bits kept) and its optional gateway. */
    public record Address(IpPrefix address, Optional<InetAddress> gateway) {
    }

    /**
     * Loads the effective configuration from the full network config (as delegated by the main plugin)
     * and CNI_ARGS already parsed ({@code IP}, {@code GATEWAY}). Findings have paths relative to
     * {@code conf}. A malformed CNI_ARGS value is not a config problem: it throws a {@link CniException}
     * with code 4 (invalid environment variables).
     */
    public static Loaded<StaticIpamConfig> load(JsonObject conf, CniVersion version, Map<String, String> envArgs) {
        Findings out = new Findings();
        String name = conf.get("name").filter(v -> v instanceof JsonString).map(v -> ((JsonString) v).value()).orElse("");
        Optional<JsonObject> ipamObject = Fields.object(conf, "ipam", "", out);
        if (ipamObject.isEmpty()) {
            if (!out.hasErrors()) {
                out.error("/ipam", "ipam is missing: static IPAM reads its addresses from the ipam object");
            }
            return new Loaded<>(Optional.empty(), out.list());
        }
        JsonObject ipam = ipamObject.get();
        List<Address> addresses = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        Fields.array(ipam, "addresses", "/ipam", out).ifPresent(a -> {
            for (int i = 0; i < a.elements().size(); i++) {
                String path = "/ipam/addresses/" + i;
                address(a.elements().get(i), path, out).ifPresent(address -> {
                    addresses.add(address);
                    sources.add(path + "/address");
                });
            }
        });
        envArgs(envArgs, addresses, sources);
        Optional<JsonObject> args = Fields.object(conf, "args", "", out);
        Optional<JsonObject> argsCni = args.flatMap(x -> Fields.object(x, "cni", "/args", out));
        if (argsCni.isPresent()) {
            List<Address> ips = ips(argsCni.get(), "/args/cni", out);
            if (!ips.isEmpty()) {
                replace(addresses, sources, ips, "/args/cni/ips");
            }
        }
        Optional<JsonObject> runtimeConfig = Fields.object(conf, "runtimeConfig", "", out);
        if (runtimeConfig.isPresent()) {
            List<Address> ips = ips(runtimeConfig.get(), "/runtimeConfig", out);
            if (!ips.isEmpty()) {
                replace(addresses, sources, ips, "/runtimeConfig/ips");
            }
            Fields.mac(runtimeConfig.get(), "mac", "/runtimeConfig", out);
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
                    out.error(sources.get(i), "address " + Text.quote(p.toString()) + " is configured twice (also as "
                            + label(sources.get(j)) + "): the second add fails with \"file exists\"");
                    break;
                }
            }
        }
        if ((v4 > 1 || v6 > 1) && !version.supportsChaining()) {
            out.error("/ipam/addresses", "more than one " + (v4 > 1 ? "IPv4" : "IPv6") + " address needs cniVersion 0.3.0 or later, the config has "
                    + Text.quote(version.text()));
        }
        List<Route> routes = Fields.array(ipam, "routes", "/ipam", out)
                .map(a -> Routes.readAll(a, "/ipam/routes", Routes.Use.IPAM, out)).orElse(List.of());
        Dns dns = DnsConf.read(ipam, "/ipam", out);
        return Loaded.of(new StaticIpamConfig(version, name, addresses, routes, dns), out.list());
    }

    /** How an address source is named in a message: {@code addresses[0]}, {@code args.cni.ips[1]}, {@code CNI_ARGS IP}. */
    private static String label(String source) {
        if (!source.startsWith("/")) {
            return source;
        }
        String p = source.endsWith("/address") ? source.substring(0, source.length() - "/address".length()) : source;
        p = p.startsWith("/ipam/") ? p.substring("/ipam/".length()) : p.substring(1);
        return p.replaceAll("/(\\d+)", "[$1]").replace('/', '.');
    }

    private static void replace(List<Address> addresses, List<String> sources, List<Address> ips, String path) {
        addresses.clear();
        sources.clear();
        for (int i = 0; i < ips.size(); i++) {
            addresses.add(ips.get(i));
            sources.add(path + "/" + i);
        }
    }

    /** One {@code addresses} entry: {@code {"address": CIDR, "gateway": IP}}. */
    private static Optional<Address> address(JsonValue value, String path, Findings out) {
        if (!(value instanceof JsonObject entry)) {
            out.error(path, "addresses entries must be objects {\"address\": CIDR, \"gateway\": IP}, got " + Text.showTyped(value));
            return Optional.empty();
        }
        if (entry.get("address").filter(v -> v != JsonValue.JsonNull.INSTANCE).isEmpty()) {
            out.error(Text.at(path, "address"), "address is missing: each addresses entry needs an address in CIDR notation such as 192.168.1.10/24");
        }
        for (String key : entry.members().keySet()) {
            if (!key.equals("address") && !key.equals("gateway")) {
                out.warning(Text.at(path, key), "key " + Text.quote(key) + " is not a field of a static address and is ignored (fields: address, gateway)");
            }
        }
        Optional<IpPrefix> address = Fields.cidr(entry, "address", path, out);
        Optional<InetAddress> gateway = Fields.ip(entry, "gateway", path, out);
        if (address.isEmpty()) {
            return Optional.empty();
        }
        IpPrefix a = address.get();
        String ap = Text.at(path, "address");
        boolean ok = true;
        if (a.isIpv4() && a.prefixLength() < 31) {
            if (!a.hasHostBits()) {
                out.error(ap, "address " + Text.quote(a.toString()) + " is the network address of its subnet: use a host address of "
                        + a.network() + " such as " + firstHost(a));
                ok = false;
            } else if (a.broadcast().map(b -> b.equals(a.address())).orElse(false)) {
                out.error(ap, "address " + Text.quote(a.toString()) + " is the broadcast address of " + a.network() + ": use a host address");
                ok = false;
            }
        }
        if (gateway.isPresent()) {
            InetAddress gw = gateway.get();
            String gp = Text.at(path, "gateway");
            if (IpPrefix.bits(gw) != IpPrefix.bits(a.address())) {
                out.error(gp, "gateway " + Text.quote(IpPrefix.format(gw)) + " is " + Fields.family(gw) + " but address "
                        + Text.quote(a.toString()) + " is " + Fields.family(a));
                ok = false;
            } else if (gw.equals(a.address())) {
                out.warning(gp, "gateway " + Text.quote(IpPrefix.format(gw)) + " is the address itself: routes via it do not leave the pod");
            } else if (!a.contains(gw)) {
                out.warning(gp, "gateway " + Text.quote(IpPrefix.format(gw)) + " is outside the subnet " + a.network()
                        + " of address " + Text.quote(a.toString()) + ": routes via it are unreachable");
            }
        }
        return ok ? Optional.of(new Address(a, gateway)) : Optional.empty();
    }

    private static String firstHost(IpPrefix network) {
        byte[] b = network.network().address().getAddress();
        b[b.length - 1] |= 1;
        try {
            return IpPrefix.format(InetAddress.getByAddress(b)) + "/" + network.prefixLength();
        } catch (java.net.UnknownHostException e) {
            return network.toString();
        }
    }

    /** {@code ips}: CIDR strings ({@code args.cni.ips}, {@code runtimeConfig.ips}). */
    private static List<Address> ips(JsonObject o, String path, Findings out) {
        Optional<JsonArray> a = Fields.array(o, "ips", path, out);
        List<Address> result = new ArrayList<>();
        if (a.isEmpty()) {
            return result;
        }
        String p = Text.at(path, "ips");
        for (int i = 0; i < a.get().elements().size(); i++) {
            JsonValue v = a.get().elements().get(i);
            if (!(v instanceof JsonString s)) {
                out.error(Text.at(p, i), "ips entries must be strings in CIDR notation, got " + Text.showTyped(v));
                continue;
            }
            Optional<IpPrefix> prefix = IpPrefix.parse(s.value());
            if (prefix.isEmpty()) {
                out.error(Text.at(p, i), "ips entry " + Text.quote(s.value()) + " is not in CIDR notation ADDRESS/LENGTH (e.g. 192.168.1.10/24)");
                continue;
            }
            result.add(new Address(prefix.get(), Optional.empty()));
        }
        return result;
    }

    /** CNI_ARGS {@code IP=} and {@code GATEWAY=}: malformed values throw with code 4. */
    private static void envArgs(Map<String, String> envArgs, List<Address> addresses, List<String> sources) {
        String ipArg = envArgs.get("IP");
        String gwArg = envArgs.get("GATEWAY");
        List<InetAddress> gateways = new ArrayList<>();
        if (gwArg != null && !gwArg.isEmpty()) {
            for (String item : gwArg.split(",", -1)) {
                String text = item.strip();
                gateways.add(IpPrefix.parseAddress(text).orElseThrow(() -> new CniException(CniError.CODE_INVALID_ENVIRONMENT,
                        "CNI_ARGS GATEWAY: " + Text.quote(text) + " is not an IP address")));
            }
        }
        if (ipArg == null || ipArg.isEmpty()) {
            return;
        }
        List<Address> fromArgs = new ArrayList<>();
        for (String item : ipArg.split(",", -1)) {
            String text = item.strip();
            IpPrefix prefix = IpPrefix.parse(text).orElseThrow(() -> new CniException(CniError.CODE_INVALID_ENVIRONMENT,
                    "CNI_ARGS IP: " + Text.quote(text) + " is not in CIDR notation ADDRESS/LENGTH (e.g. 192.168.1.10/24)"));
            fromArgs.add(new Address(prefix, Optional.empty()));
        }
        for (InetAddress gw : gateways) {
            for (int i = 0; i < fromArgs.size(); i++) {
                if (fromArgs.get(i).address().contains(gw)) {
                    fromArgs.set(i, new Address(fromArgs.get(i).address(), Optional.of(gw)));
                }
            }
        }
        for (Address a : fromArgs) {
            addresses.add(a);
            sources.add("CNI_ARGS IP");
        }
    }
}
