package io.netattach.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.Objects;

/**
 * The {@code request} of an {@code admission.k8s.io/v1} AdmissionReview, decoded once by the HTTP
 * edge: what a handler needs, plus the raw tree for anything else.
 *
 * @param uid       {@code request.uid}, echoed in the response
 * @param operation {@code request.operation}
 * @param group     {@code request.kind.group} ("" for the core group)
 * @param version   {@code request.kind.version}
 * @param kind      {@code request.kind.kind}, e.g. {@code NetworkAttachmentDefinition}, {@code Pod}
 * @param subResource {@code request.subResource} or ""
 * @param namespace {@code request.namespace} or ""
 * @param name      {@code request.name} or "" (empty on CREATE with {@code generateName})
 * @param object    {@code request.object} exactly as sent (a {@link MissingNode} when absent or null,
 *                  as on DELETE); patches must be computed against this tree
 * @param oldObject {@code request.oldObject} (UPDATE, DELETE) or a {@link MissingNode}
 * @param dryRun    {@code request.dryRun}
 * @param raw       the whole {@code request} object
 */
public record AdmissionRequest(String uid, Operation operation, String group, String version, String kind,
                               String subResource, String namespace, String name, JsonNode object,
                               JsonNode oldObject, boolean dryRun, JsonNode raw) {

    public AdmissionRequest {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(operation, "operation");
        group = group == null ? "" : group;
        version = version == null ? "" : version;
        kind = kind == null ? "" : kind;
        subResource = subResource == null ? "" : subResource;
        namespace = namespace == null ? "" : namespace;
        name = name == null ? "" : name;
        object = object == null || object.isNull() ? MissingNode.getInstance() : object;
        oldObject = oldObject == null || oldObject.isNull() ? MissingNode.getInstance() : oldObject;
        raw = raw == null ? MissingNode.getInstance() : raw;
    }

    /** {@code namespace/name}, or {@code name} for cluster-scoped objects; the name falls back to metadata.generateName. */
    public String displayName() {
        String n = name;
        if (n.isEmpty()) {
            JsonNode metadata = object.path("metadata");
            n = metadata.path("name").asText("");
            if (n.isEmpty() && !metadata.path("generateName").asText("").isEmpty()) {
                n = metadata.path("generateName").asText() + "*";
            }
        }
        return namespace.isEmpty() ? n : namespace + "/" + n;
    }
}
