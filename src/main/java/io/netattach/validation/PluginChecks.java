package io.netattach.validation;
import io.netattach.cni.Fields;
import io.netattach.cni.Findings;
import io.netattach.cni.Text;

import io.netattach.cni.JsonValue;
import io.netattach.cni.PluginType;
import io.netattach.cni.JsonValue.JsonBool;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;

import java.util.List;
import java.util.Optional;

/** The generic checks every plugin gets (type, reserved keys, capabilities, ipam, dns), then its type's rules. */
final class PluginChecks {

    private PluginChecks() {
    }

    /**
     * Checks one plugin and appends what its IPAM configures to {@code addressing}.
     *
     * @return the plugin's type when it is a usable type name
     */
    static Optional<String> check(JsonObject plugin, String path, int index, NetworkContext network,
                                  List<Addressing> addressing, Findings out) {
        Optional<String> type = type(plugin, "type", path, out, "");
        type.filter(t -> KnownPlugins.kindOf(t).isEmpty()).ifPresent(t ->
                out.warning(Text.at(path, "type"), "type " + Text.quote(t) + " is not a known plugin: only the generic checks apply"));
        ConfigRules.reservedKeys(plugin, path, out);
        capabilities(plugin, path, out);
        Dns.check(plugin, path, out);
        PluginContext bare = new PluginContext(plugin, path, index, type.orElse(""), network, List.copyOf(addressing));
        Addressing own = ipam(plugin, path, bare, type, out);
        addressing.add(own);
        if (type.isPresent()) {
            PluginContext ctx = new PluginContext(plugin, path, index, type.get(), network, List.copyOf(addressing));
            PluginRules.forType(type.get()).check(ctx, out);
        }
        return type;
    }

    /**
     * A plugin type: a non-empty string that is a plain file name (the runtime executes it from CNI_PATH).
     *
     * @param what prefix for messages about an IPAM type ("ipam " or "")
     */
    private static Optional<String> type(JsonObject o, String key, String path, Findings out, String what) {
        String p = Text.at(path, key);
        JsonValue v = o.members().get(key);
        if (v == null) {
            out.error(p, what + "type is missing: it names the plugin binary to run, e.g. \"macvlan\"");
            return Optional.empty();
        }
        if (!(v instanceof JsonString s)) {
            out.error(p, what + "type must be a string naming the plugin binary, got " + Text.showTyped(v));
            return Optional.empty();
        }
        String t = s.value();
        if (t.isEmpty()) {
            out.error(p, what + "type is empty: it names the plugin binary to run");
            return Optional.empty();
        }
        Optional<String> problem = PluginType.problem(t);
        if (problem.isPresent()) {
            out.error(p, what + "type " + Text.quote(t) + " " + problem.get());
            return Optional.empty();
        }
        return Optional.of(t);
    }

    private static void capabilities(JsonObject plugin, String path, Findings out) {
        Fields.object(plugin, "capabilities", path, out).ifPresent(caps -> {
            String cp = Text.at(path, "capabilities");
            for (var e : caps.members().entrySet()) {
                if (!(e.getValue() instanceof JsonBool)) {
                    out.error(Text.at(cp, e.getKey()), "capability " + Text.quote(e.getKey()) + " must be true or false, got "
                            + Text.showTyped(e.getValue()));
                }
            }
        });
    }

    private static Addressing ipam(JsonObject plugin, String path, PluginContext ctx, Optional<String> pluginType, Findings out) {
        Optional<JsonObject> ipam = Fields.object(plugin, "ipam", path, out);
        if (ipam.isEmpty()) {
            return plugin.has("ipam") ? Addressing.UNKNOWN : Addressing.NONE;
        }
        String ip = Text.at(path, "ipam");
        if (pluginType.flatMap(KnownPlugins::kindOf).orElse(null) == PluginKind.CHAINED) {
            out.warning(ip, "ipam is ignored by the chained plugin " + Text.quote(pluginType.get())
                    + ": put it on the interface-creating plugin");
            return Addressing.NONE;
        }
        JsonObject o = ipam.get();
        if (o.members().isEmpty()) {
            return Addressing.NONE; // L2 only: the interface gets no address
        }
        if (!o.has("type")) {
            out.error(Text.at(ip, "type"), "ipam has no type: the plugin skips IPAM and configures no address (set type, e.g. \"static\")");
            return Addressing.UNKNOWN;
        }
        Optional<String> type = type(o, "type", ip, out, "ipam ");
        if (type.isEmpty()) {
            return Addressing.UNKNOWN;
        }
        Optional<PluginKind> kind = KnownPlugins.kindOf(type.get());
        if (kind.isPresent() && kind.get() != PluginKind.IPAM) {
            out.error(Text.at(ip, "type"), "ipam type " + Text.quote(type.get()) + " is " + kind.get().withArticle() + " plugin, not an IPAM plugin (static, host-local, dhcp, whereabouts)");
            return Addressing.UNKNOWN;
        }
        Optional<IpamRules> rules = IpamRules.forType(type.get());
        if (rules.isEmpty()) {
            out.warning(Text.at(ip, "type"), "ipam type " + Text.quote(type.get()) + " is not a known IPAM plugin: its fields are not checked");
            return Addressing.UNKNOWN;
        }
        return rules.get().check(o, ip, ctx, out);
    }
}
