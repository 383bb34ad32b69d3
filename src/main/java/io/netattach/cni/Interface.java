package io.netattach.cni;

import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of a result's {@code interfaces}. {@code sandbox} is the netns path for interfaces in
 * the container (empty for host-side interfaces). {@code mtu}, {@code socketPath} and
 * {@code pciID} are 1.1.0 fields (null/empty when absent).
 */
public record Interface(String name, String mac, Integer mtu, String sandbox, String socketPath, String pciId) {

    public Interface {
        name = name == null ? "" : name;
        mac = mac == null ? "" : mac;
        sandbox = sandbox == null ? "" : sandbox;
        socketPath = socketPath == null ? "" : socketPath;
        pciId = pciId == null ? "" : pciId;
    }

    public Interface(String name, String mac, String sandbox) {
        this(name, mac, null, sandbox, "", "");
    }

    public boolean inSandbox() {
        return !sandbox.isEmpty();
    }

    public static Interface fromJson(JsonObject o, String path) {
        return new Interface(
                Fields.requiredString(o, path, "name"),
                Fields.string(o, path, "mac").orElse(""),
                Fields.int32(o, path, "mtu", 0, Integer.MAX_VALUE).orElse(null),
                Fields.string(o, path, "sandbox").orElse(""),
                Fields.string(o, path, "socketPath").orElse(""),
                Fields.string(o, path, "pciID").orElse(""));
    }

    public JsonObject toJson(CniVersion version) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("name", new JsonString(name));
        if (!mac.isEmpty()) {
            m.put("mac", new JsonString(mac));
        }
        if (version.atLeast(CniVersion.V1_1_0)) {
            Route.putInt(m, "mtu", mtu);
        }
        if (!sandbox.isEmpty()) {
            m.put("sandbox", new JsonString(sandbox));
        }
        if (version.atLeast(CniVersion.V1_1_0)) {
            if (!socketPath.isEmpty()) {
                m.put("socketPath", new JsonString(socketPath));
            }
            if (!pciId.isEmpty()) {
                m.put("pciID", new JsonString(pciId));
            }
        }
        return new JsonObject(m);
    }
}
