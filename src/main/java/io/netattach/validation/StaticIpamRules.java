package io.netattach.validation;

import io.netattach.cni.CniVersion;
import io.netattach.cni.Findings;
import io.netattach.cni.IpPrefix;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.Text;
import io.netattach.cni.conf.StaticIpamConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * static IPAM: whether the plugin loads the section is its own loader's to say ({@link StaticIpamConfig}:
 * addresses, gateways, routes, dns, the per-family limit of old versions). Here only the context: unknown
 * keys, no address at all (the interface plugin then fails, unless the pod requests {@code ips}), and the
 * routes checked against the configured subnets.
 */
record StaticIpamRules() implements IpamRules {

    @Override
    public Addressing check(JsonObject ipam, String path, PluginContext plugin, Findings out) {
        IpamRules.unknownKeys(ipam, path, "static", StaticIpamConfig.FIELDS, "type, addresses, routes, dns", out);
        CniVersion version = plugin.network().version().orElse(CniVersion.CURRENT);
        LoaderFindings.report(plugin.path(), StaticIpamConfig.load(plugin.plugin(), version, Map.of()).findings(), out);
        boolean runtimeIps = plugin.hasCapability("ips");
        Optional<JsonValue> given = ipam.get("addresses").filter(v -> v != JsonValue.JsonNull.INSTANCE);
        String addressesPath = Text.at(path, "addresses");
        if (given.isEmpty() && !runtimeIps) {
            out.error(addressesPath, "addresses is missing: static IPAM then returns no address and the interface plugin "
                    + "fails with \"IPAM plugin returned missing IP config\" (or set capabilities {\"ips\": true} and request ips in the pod)");
        } else if (given.isPresent() && given.get() instanceof JsonArray a && a.elements().isEmpty() && !runtimeIps) {
            out.error(addressesPath, "addresses is empty: static IPAM then returns no address and the interface plugin "
                    + "fails with \"IPAM plugin returned missing IP config\"");
        }
        List<Addressing.Located<IpPrefix>> addresses = new ArrayList<>();
        boolean complete = !runtimeIps && given.isPresent() && given.get() instanceof JsonArray;
        if (given.isPresent() && given.get() instanceof JsonArray a) {
            for (int i = 0; i < a.elements().size(); i++) {
                String ap = Text.at(Text.at(addressesPath, i), "address");
                Optional<IpPrefix> address = a.elements().get(i) instanceof JsonObject entry
                        ? entry.get("address").filter(v -> v instanceof JsonValue.JsonString)
                                .flatMap(v -> IpPrefix.parse(((JsonValue.JsonString) v).value()))
                        : Optional.empty();
                address.ifPresent(x -> addresses.add(new Addressing.Located<>(x, ap)));
                complete &= address.isPresent();
            }
        }
        if (complete && ipam.get("routes").orElse(null) instanceof JsonArray routes) {
            for (Route r : Route.readAll(routes, Text.at(path, "routes"), new Findings())) {
                Route.crossCheck(r, addresses, true, out);
            }
        }
        return new Addressing(addresses, addresses, complete);
    }
}
