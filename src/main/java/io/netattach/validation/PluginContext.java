package io.netattach.validation;

import io.netattach.cni.JsonValue.JsonObject;

import java.util.List;

/**
 * One plugin of a chain as its rules see it.
 *
 * @param plugin   the plugin object
 * @param path     its JSON Pointer ({@code /spec/config/plugins/1}, or {@code /spec/config} for a single plugin)
 * @param index    its position in the chain
 * @param type     its {@code type}
 * @param network  the network config around it
 * @param before   what the IPAM sections of this and the earlier plugins configure
 */
record PluginContext(JsonObject plugin, String path, int index, String type, NetworkContext network,
                     List<Addressing> before) {

    /** Whether the plugin declares {@code "capabilities": {"NAME": true}}. */
    boolean hasCapability(String name) {
        return plugin.get("capabilities")
                .filter(c -> c instanceof JsonObject)
                .flatMap(c -> ((JsonObject) c).get(name))
                .map(v -> v instanceof io.netattach.cni.JsonValue.JsonBool b && b.value())
                .orElse(false);
    }
}
