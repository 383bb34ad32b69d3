package io.netattach.cni;

import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A network configuration list (conflist), checked as libcni's {@code ConfListFromBytes} does:
 * {@code name} required, boolean flags (also "true"/"false" strings), {@code plugins} an array
 * of objects each with a {@code type}. Failures are {@link CniException}s with code 7.
 *
 * @param plugins each plugin object, as given
 */
public record NetworkConfigList(String cniVersion, List<String> cniVersions, String name, boolean disableCheck,
                                boolean disableGC, boolean loadOnlyInlinedPlugins, List<JsonObject> plugins,
                                JsonObject raw) {

    public NetworkConfigList {
        cniVersions = List.copyOf(cniVersions);
        plugins = List.copyOf(plugins);
    }

    public static NetworkConfigList fromJson(JsonValue value) {
        if (!(value instanceof JsonObject o)) {
            throw Fields.invalid("", "a JSON object", value);
        }
        String name = Fields.string(o, "", "name").orElse("");
        if (name.isEmpty()) {
            throw CniException.config("no name");
        }
        String cniVersion = Fields.string(o, "", "cniVersion").orElse("");
        List<String> cniVersions = Fields.strings(o, "", "cniVersions");
        boolean disableCheck = Fields.bool(o, "", "disableCheck", true).orElse(false);
        boolean disableGC = Fields.bool(o, "", "disableGC", true).orElse(false);
        boolean inlined = Fields.bool(o, "", "loadOnlyInlinedPlugins", true).orElse(false);
        if (inlined && !o.has("plugins")) {
            throw CniException.config("field \"plugins\" is required when loadOnlyInlinedPlugins is true");
        }
        List<JsonObject> plugins = new ArrayList<>();
        if (o.has("plugins")) {
            JsonArray array = Fields.array(o, "", "plugins")
                    .orElseThrow(() -> CniException.config("invalid 'plugins' type: null"));
            if (array.elements().isEmpty()) {
                throw CniException.config("no plugins in list");
            }
            for (int i = 0; i < array.elements().size(); i++) {
                JsonValue p = array.elements().get(i);
                if (!(p instanceof JsonObject po)) {
                    throw Fields.invalid("plugins[" + i + "]", "an object", p);
                }
                String type = Fields.string(po, "plugins[" + i + "]", "type").orElse("");
                if (type.isEmpty()) {
                    throw CniException.config("failed to parse plugin config " + i
                            + ": error parsing configuration: missing 'type'");
                }
                plugins.add(po);
            }
        }
        return new NetworkConfigList(cniVersion, cniVersions, name, disableCheck, disableGC, inlined, plugins, o);
    }

    /**
     * The request configuration for plugin {@code index} (spec section 3): the plugin object with
     * {@code cniVersion} and {@code name} inserted and, when given, {@code prevResult}
     * (already converted to this list's version) and {@code runtimeConfig}.
     */
    public JsonObject requestConfig(int index, Result prevResult, JsonObject runtimeConfig) {
        CniVersion version = CniVersion.parse(cniVersion).orElse(CniVersion.CURRENT);
        JsonObject p = plugins.get(index);
        java.util.LinkedHashMap<String, JsonValue> m = new java.util.LinkedHashMap<>();
        m.put("cniVersion", new JsonValue.JsonString(cniVersion));
        m.put("name", new JsonValue.JsonString(name));
        for (Map.Entry<String, JsonValue> e : p.members().entrySet()) {
            if (!e.getKey().equals("cniVersion") && !e.getKey().equals("name")) {
                m.put(e.getKey(), e.getValue());
            }
        }
        if (runtimeConfig != null && !runtimeConfig.members().isEmpty()) {
            m.put("runtimeConfig", runtimeConfig);
        }
        if (prevResult != null) {
            m.put("prevResult", prevResult.toJson(version));
        }
        return new JsonObject(m);
    }
}
