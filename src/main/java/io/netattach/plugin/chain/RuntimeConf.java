package io.netattach.plugin.chain;

import io.netattach.cni.JsonValue.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a container runtime knows about one attachment (libcni's {@code RuntimeConf}): container id,
 * netns path, interface name, CNI_ARGS pairs and capability args (e.g. {@code ips}, {@code mac}) that
 * are passed to plugins declaring the matching {@code capabilities}.
 */
public record RuntimeConf(String containerId, String netns, String ifName, List<Map.Entry<String, String>> args,
                          JsonObject capabilityArgs) {

    public RuntimeConf {
        args = List.copyOf(args);
        capabilityArgs = capabilityArgs == null ? JsonObject.empty() : capabilityArgs;
    }

    public RuntimeConf(String containerId, String netns, String ifName) {
        this(containerId, netns, ifName, List.of(), JsonObject.empty());
    }

    public RuntimeConf withCapabilityArgs(JsonObject capabilityArgs) {
        return new RuntimeConf(containerId, netns, ifName, args, capabilityArgs);
    }

    public RuntimeConf withArgs(List<Map.Entry<String, String>> args) {
        return new RuntimeConf(containerId, netns, ifName, args, capabilityArgs);
    }

    /** CNI_ARGS text: {@code K=V;K2=V2}. */
    public String cniArgs() {
        return args.stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
    }
}
