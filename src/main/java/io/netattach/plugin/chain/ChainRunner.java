package io.netattach.plugin.chain;

import io.netattach.cni.CniError;
import io.netattach.cni.CniException;
import io.netattach.cni.CniVersion;
import io.netattach.cni.Json;
import io.netattach.cni.JsonException;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonBool;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;
import io.netattach.cni.NetworkConfigList;
import io.netattach.cni.Result;

import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs the plugins of a conflist as libcni does (not a second Multus: no delegation policy, no
 * caching on disk): ADD in order, each plugin's request config derived from its plugin object with
 * {@code name}, {@code cniVersion}, {@code prevResult} (the previous plugin's result; none for the
 * first) and {@code runtimeConfig} (the capability args the plugin declares in {@code capabilities})
 * injected; DEL in reverse order with {@code prevResult} = the final ADD result (from 0.4.0); CHECK in
 * order with the same prevResult. The derivation is pure ({@link #requestConfig}, {@link #environment})
 * and the plugins are reached through a {@link PluginInvoker}.
 */
public final class ChainRunner {

    private final PluginInvoker invoker;
    private final List<Path> cniPath;

    /**
     * @param invoker how plugins are run
     * @param cniPath the CNI_PATH handed to every plugin (for IPAM delegation)
     */
    public ChainRunner(PluginInvoker invoker, List<Path> cniPath) {
        this.invoker = invoker;
        this.cniPath = List.copyOf(cniPath);
    }

    /**
     * Parses a conflist, or a single plugin config (top-level {@code type}) which becomes a list of one,
     * as libcni's {@code ConfListFromConf}. Malformed JSON is code 6, an invalid list code 7.
     */
    public static NetworkConfigList parse(String json) {
        JsonValue value;
        try {
            value = Json.parse(json);
        } catch (JsonException e) {
            throw CniException.decode("error parsing network configuration: " + e.getMessage());
        }
        if (value instanceof JsonObject o && o.has("type") && !o.has("plugins")) {
            Map<String, JsonValue> list = new LinkedHashMap<>();
            o.get("cniVersion").ifPresent(v -> list.put("cniVersion", v));
            o.get("name").ifPresent(v -> list.put("name", v));
            list.put("plugins", new JsonArray(List.of(o)));
            value = new JsonObject(list);
        }
        return NetworkConfigList.fromJson(value);
    }

    /** The list's version; an unknown or missing {@code cniVersion} is refused (code 1). */
    public static CniVersion version(NetworkConfigList list) {
        if (list.cniVersion().isEmpty()) {
            return CniVersion.ASSUMED_WHEN_MISSING;
        }
        return CniVersion.parse(list.cniVersion()).orElseThrow(() -> new CniException(
                CniError.CODE_INCOMPATIBLE_VERSION, "unknown cniVersion \"" + list.cniVersion() + "\"",
                "known versions: " + CniVersion.texts()));
    }

    /**
     * {@code runtimeConfig} for one plugin (libcni {@code injectRuntimeConfig}): each capability the
     * plugin declares {@code true} in {@code capabilities} whose arg the runtime has, with that arg.
     */
    public static JsonObject runtimeConfig(JsonObject plugin, JsonObject capabilityArgs) {
        Map<String, JsonValue> rc = new LinkedHashMap<>();
        if (plugin.get("capabilities").orElse(null) instanceof JsonObject caps) {
            for (Map.Entry<String, JsonValue> c : caps.members().entrySet()) {
                if (c.getValue() instanceof JsonBool b && b.value() && capabilityArgs.has(c.getKey())) {
                    rc.put(c.getKey(), capabilityArgs.members().get(c.getKey()));
                }
            }
        }
        return new JsonObject(rc);
    }

    /**
     * The request config of plugin {@code index}: its object with {@code cniVersion} and {@code name} of
     * the list, {@code runtimeConfig} (only when non-empty) and {@code prevResult} (when given, converted
     * to the list's version) set; everything else, {@code capabilities} included, as given.
     */
    public static JsonObject requestConfig(NetworkConfigList list, int index, Result prevResult,
                                           JsonObject capabilityArgs) {
        ExecPluginInvoker.checkType(pluginType(list, index));
        JsonObject rc = runtimeConfig(list.plugins().get(index), capabilityArgs);
        Result prev = prevResult;
        if (prev != null) {
            version(list); // refuse unknown versions before converting
        }
        return list.requestConfig(index, prev, rc);
    }

    /** CNI_* variables for a verb (STATUS/GC carry only CNI_COMMAND and CNI_PATH). */
    public static Map<String, String> environment(String command, RuntimeConf rt, List<Path> cniPath) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        if (!command.equals("STATUS") && !command.equals("GC") && !command.equals("VERSION")) {
            env.put("CNI_CONTAINERID", rt.containerId());
            env.put("CNI_NETNS", rt.netns() == null ? "" : rt.netns());
            env.put("CNI_IFNAME", rt.ifName());
            env.put("CNI_ARGS", rt.cniArgs());
        }
        env.put("CNI_PATH", cniPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        return env;
    }

    public static String pluginType(NetworkConfigList list, int index) {
        return list.plugins().get(index).get("type").orElse(null) instanceof JsonString s ? s.value() : "";
    }

    /** ADD through the whole chain; returns the final result. A failing plugin's error is thrown as is. */
    public Result add(NetworkConfigList list, RuntimeConf rt) {
        CniVersion version = version(list);
        Result prev = null;
        for (int i = 0; i < list.plugins().size(); i++) {
            String type = pluginType(list, i);
            JsonObject conf = requestConfig(list, i, prev, rt.capabilityArgs());
            String out = invoker.invoke(type, conf.toJson(), environment("ADD", rt, cniPath));
            prev = Result.parse(out, "result of plugin \"" + type + "\"", version);
        }
        return prev == null ? Result.empty(version) : prev;
    }

    /**
     * ADD; when it fails, DEL of the whole chain (what a runtime does after a failed ADD) and the ADD
     * error is rethrown (a DEL error is added as suppressed).
     */
    public Result addOrCleanUp(NetworkConfigList list, RuntimeConf rt) {
        try {
            return add(list, rt);
        } catch (CniException e) {
            try {
                del(list, rt, null);
            } catch (CniException delError) {
                e.addSuppressed(delError);
            }
            throw e;
        }
    }

    /**
     * DEL in reverse order; {@code cachedResult} (the final ADD result, may be null) as prevResult from
     * 0.4.0. Unlike libcni, which stops at the first failing plugin, every plugin gets its DEL (cleanup is
     * best effort); the first error is thrown afterwards with later ones suppressed.
     */
    public void del(NetworkConfigList list, RuntimeConf rt, Result cachedResult) {
        CniVersion version = version(list);
        Result prev = version.supportsCheck() ? cachedResult : null;
        CniException first = null;
        for (int i = list.plugins().size() - 1; i >= 0; i--) {
            String type = pluginType(list, i);
            try {
                JsonObject conf = requestConfig(list, i, prev, rt.capabilityArgs());
                invoker.invoke(type, conf.toJson(), environment("DEL", rt, cniPath));
            } catch (CniException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** CHECK in order with prevResult = the final ADD result; needs 0.4.0; skipped when {@code disableCheck}. */
    public void check(NetworkConfigList list, RuntimeConf rt, Result cachedResult) {
        CniVersion version = version(list);
        if (!version.supportsCheck()) {
            throw new CniException(CniError.CODE_INCOMPATIBLE_VERSION, "configuration version \"" + version
                    + "\" does not support the CHECK command");
        }
        if (list.disableCheck()) {
            return;
        }
        if (cachedResult == null) {
            throw new CniException(CniError.CODE_INVALID_NETWORK_CONFIG, "CHECK needs the cached ADD result");
        }
        for (int i = 0; i < list.plugins().size(); i++) {
            String type = pluginType(list, i);
            JsonObject conf = requestConfig(list, i, cachedResult, rt.capabilityArgs());
            invoker.invoke(type, conf.toJson(), environment("CHECK", rt, cniPath));
        }
    }

    /** STATUS of every plugin (1.1.0). */
    public void status(NetworkConfigList list) {
        for (int i = 0; i < list.plugins().size(); i++) {
            String type = pluginType(list, i);
            JsonObject conf = requestConfig(list, i, null, JsonObject.empty());
            invoker.invoke(type, conf.toJson(), environment("STATUS", new RuntimeConf("", "", ""), cniPath));
        }
    }
}
