package io.netattach.injection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;

/**
 * One RFC 6902 JSON Patch operation ({@code add} or {@code replace}; the injector needs no others).
 *
 * @param op    {@code add} or {@code replace}
 * @param path  JSON Pointer, tokens escaped ({@code /metadata/annotations/k8s.v1.cni.cncf.io~1networks})
 * @param value the new value
 */
public record PatchOperation(String op, String path, JsonNode value) {

    public PatchOperation {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(value, "value");
        if (!op.equals("add") && !op.equals("replace")) {
            throw new IllegalArgumentException("unsupported patch op " + op);
        }
    }

    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("op", op);
        node.put("path", path);
        node.set("value", value);
        return node;
    }

    /** The patch document: a JSON array of the operations. */
    public static ArrayNode toJson(List<PatchOperation> patch) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (PatchOperation op : patch) {
            array.add(op.toJson());
        }
        return array;
    }
}
