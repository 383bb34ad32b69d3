package io.netattach.fuzz;

import io.netattach.cni.CniException;
import io.netattach.cni.CniVersion;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;
import io.netattach.cni.NetConf;
import io.netattach.plugin.staticipam.StaticIpam;
import io.netattach.cni.conf.MacvlanConfig;
import io.netattach.cni.conf.RouteOverrideConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the bundled plugins' config loaders say about each plugin of a CNI network config, as they
 * would at ADD time: for every {@code macvlan} (and its {@code static} IPAM) and {@code route-override}
 * of the chain, the plugin object with the {@code name} and {@code cniVersion} the runtime inserts,
 * loaded with empty CNI_ARGS.
 */
final class BundledLoaders {

    private BundledLoaders() {
    }

    /** Plugin JSON Pointer (under {@code base}) -> the loader's refusal message, for each bundled plugin that refuses. */
    static Map<String, String> refusals(JsonObject config, String base) {
        Map<String, String> out = new LinkedHashMap<>();
        if (config.has("type")) {
            refusal(config, config).ifPresent(m -> out.put(base, m));
        } else if (config.get("plugins").orElse(null) instanceof JsonArray plugins) {
            for (int i = 0; i < plugins.elements().size(); i++) {
                if (plugins.elements().get(i) instanceof JsonObject plugin) {
                    int index = i;
                    refusal(plugin, config).ifPresent(m -> out.put(base + "/plugins/" + index, m));
                }
            }
        }
        return out;
    }

    /** Plugin JSON Pointers (under {@code base}) of the bundled plugins whose loaders load the config. */
    static java.util.List<String> loading(JsonObject config, String base) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (config.has("type")) {
            if (bundled(config) && refusal(config, config).isEmpty()) {
                out.add(base);
            }
        } else if (config.get("plugins").orElse(null) instanceof JsonArray plugins) {
            for (int i = 0; i < plugins.elements().size(); i++) {
                if (plugins.elements().get(i) instanceof JsonObject plugin && bundled(plugin) && refusal(plugin, config).isEmpty()) {
                    out.add(base + "/plugins/" + i);
                }
            }
        }
        return out;
    }

    private static boolean bundled(JsonObject plugin) {
        String type = plugin.get("type").filter(t -> t instanceof JsonString).map(t -> ((JsonString) t).value()).orElse("");
        return type.equals("macvlan") || type.equals("route-override");
    }

    private static java.util.Optional<String> refusal(JsonObject plugin, JsonObject list) {
        String type = plugin.get("type").filter(t -> t instanceof JsonString).map(t -> ((JsonString) t).value()).orElse("");
        if (!type.equals("macvlan") && !type.equals("route-override")) {
            return java.util.Optional.empty();
        }
        JsonObject conf = plugin;
        if (plugin != list) { // libcni inserts the list's name and cniVersion into each plugin
            for (String key : new String[] {"name", "cniVersion"}) {
                JsonValue v = list.get(key).orElse(null);
                if (v != null) {
                    conf = conf.with(key, v);
                }
            }
        }
        try {
            load(type, conf);
            return java.util.Optional.empty();
        } catch (CniException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    /** Loads {@code conf} as the plugin {@code type} does; throws the CniException it would answer ADD with. */
    static void load(String type, JsonObject conf) {
        NetConf netConf = NetConf.fromJson(conf);
        if (type.equals("macvlan")) {
            MacvlanConfig cfg = MacvlanConfig.load(conf, Map.of()).orThrow();
            if (cfg.ipamType().equals("static")) {
                StaticIpam.load(conf, netConf.version().orElse(CniVersion.CURRENT), Map.of());
            }
        } else {
            RouteOverrideConfig.load(conf).orThrow();
        }
    }
}
