package io.netattach.injection;

import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One element of the {@code k8s.v1.cni.cncf.io/networks} annotation: the network (NAD) it names,
 * the optional namespace and interface, and every field as the user wrote it ({@code fields}, which
 * is what is rendered back, unknown keys included).
 *
 * @param name          NAD name (required)
 * @param namespace     NAD namespace, {@code null} when absent or empty (the pod's namespace)
 * @param interfaceName requested interface, {@code null} when none ({@code interface}, else the
 *                      deprecated {@code interfaceRequest})
 * @param fields        the element as a JSON object, in the user's key order
 */
public record NetworkSelection(String name, String namespace, String interfaceName, JsonObject fields) {

    public NetworkSelection {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fields, "fields");
    }

    /** A new element with just {@code name} and, when not null, {@code interface} (the injector's form). */
    public static NetworkSelection of(String name, String interfaceName) {
        Map<String, io.netattach.cni.JsonValue> members = new LinkedHashMap<>();
        members.put("name", new JsonString(name));
        if (interfaceName != null) {
            members.put("interface", new JsonString(interfaceName));
        }
        return new NetworkSelection(name, null, interfaceName, new JsonObject(members));
    }

    /** The namespace this element refers to, resolving an absent namespace to {@code podNamespace}. */
    public String namespaceOr(String podNamespace) {
        return namespace == null ? podNamespace : namespace;
    }

    /** {@code [namespace/]name[@interface]}, the comma form of this element. */
    public String shortForm() {
        return (namespace == null ? "" : namespace + "/") + name + (interfaceName == null ? "" : "@" + interfaceName);
    }
}
