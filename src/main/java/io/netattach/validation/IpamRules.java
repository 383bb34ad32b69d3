package io.netattach.validation;
import io.netattach.cni.Findings;
import io.netattach.cni.Text;

import io.netattach.cni.JsonValue.JsonObject;

import java.util.Optional;
import java.util.Set;

/** The rules of one IPAM plugin type; each returns what its section configures, for the chain's cross-checks. */
sealed interface IpamRules permits StaticIpamRules, HostLocalIpamRules, WhereaboutsIpamRules, DhcpIpamRules {

    /**
     * @param ipam   the {@code ipam} object
     * @param path   its JSON Pointer
     * @param plugin the plugin that holds it
     */
    Addressing check(JsonObject ipam, String path, PluginContext plugin, Findings out);

    static Optional<IpamRules> forType(String type) {
        return Optional.ofNullable(switch (type) {
            case "static" -> new StaticIpamRules();
            case "host-local" -> new HostLocalIpamRules();
            case "whereabouts" -> new WhereaboutsIpamRules();
            case "dhcp" -> new DhcpIpamRules();
            default -> null;
        });
    }

    /** Warns about keys the IPAM plugin does not read (they are silently ignored). */
    static void unknownKeys(JsonObject ipam, String path, String type, Set<String> known, String knownText, Findings out) {
        for (String key : ipam.members().keySet()) {
            if (!known.contains(key)) {
                out.warning(Text.at(path, key), "key " + Text.quote(key) + " is not a " + type
                        + " IPAM field and is ignored (" + type + " reads " + knownText + ")");
            }
        }
    }
}
