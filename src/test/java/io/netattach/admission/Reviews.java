package io.netattach.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.UUID;

/** AdmissionReviews for tests, built from the realistic API-server review in test resources. */
final class Reviews {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    /** The seed {@code management-net} CREATE review, as the API server sends it. */
    static final String MANAGEMENT_CREATE = "/admission/reviews/nad-create-management-net.json";

    private Reviews() {
    }

    static ObjectNode load(String resource) {
        try {
            return (ObjectNode) JSON.readTree(Https.resource(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A NAD manifest from the repository, e.g. {@code deploy/examples/sip.yaml}. */
    static ObjectNode manifest(String path) {
        try {
            return (ObjectNode) YAML.readTree(Path.of(path).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A minimal NAD in namespace {@code chain-example}; {@code config == null} leaves spec.config out. */
    static ObjectNode nad(String name, String config) {
        ObjectNode nad = JSON.createObjectNode();
        nad.put("apiVersion", "k8s.cni.cncf.io/v1");
        nad.put("kind", "NetworkAttachmentDefinition");
        nad.putObject("metadata").put("name", name).put("namespace", "chain-example");
        ObjectNode spec = nad.putObject("spec");
        if (config != null) {
            spec.put("config", config);
        }
        return nad;
    }

    /** A review of {@code operation} on {@code object} / {@code oldObject} (either may be null), with a fresh uid. */
    static ObjectNode review(String operation, JsonNode object, JsonNode oldObject) {
        ObjectNode review = load(MANAGEMENT_CREATE);
        ObjectNode request = (ObjectNode) review.get("request");
        request.put("uid", UUID.randomUUID().toString());
        request.put("operation", operation);
        JsonNode named = object != null ? object : oldObject;
        if (named != null) {
            request.put("name", named.path("metadata").path("name").asText());
        }
        request.set("object", object == null ? NullNode.getInstance() : object);
        request.set("oldObject", oldObject == null ? NullNode.getInstance() : oldObject);
        return review;
    }

    static String uid(JsonNode review) {
        return review.path("request").path("uid").asText();
    }

    static String toJson(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
