package io.netattach.validation;

import io.netattach.cni.Finding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test helpers: NAD objects as the API server sends them. */
final class Nads {

    static final ObjectMapper JSON = new ObjectMapper();
    static final YAMLMapper YAML = new YAMLMapper();

    private Nads() {
    }

    /** A NAD named {@code name} in namespace {@code default} with {@code config} as spec.config. */
    static ObjectNode nad(String name, String config) {
        ObjectNode nad = JSON.createObjectNode();
        nad.put("apiVersion", "k8s.cni.cncf.io/v1");
        nad.put("kind", "NetworkAttachmentDefinition");
        nad.putObject("metadata").put("name", name).put("namespace", "default");
        nad.putObject("spec").put("config", config);
        return nad;
    }

    /** A NAD named "net" whose config is a chain of the given plugin objects (JSON texts) at cniVersion 1.0.0. */
    static ObjectNode chain(String... plugins) {
        return nad("net", "{\"cniVersion\": \"1.0.0\", \"name\": \"net\", \"plugins\": [" + String.join(",", plugins) + "]}");
    }

    static JsonNode yamlFile(Path file) {
        try {
            return YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Finding> validate(JsonNode nad) {
        return new NadValidator().validate(nad);
    }

    static List<Finding> validateUpstream(JsonNode nad) {
        return new NadValidator(new ValidationOptions(true, ValidationOptions.DEFAULT_MAX_CONFIG_BYTES)).validate(nad);
    }

    /** The findings as {@code SEVERITY path: message} lines, for readable assertion failures. */
    static String lines(List<Finding> findings) {
        StringBuilder sb = new StringBuilder();
        for (Finding f : findings) {
            sb.append(f).append('\n');
        }
        return sb.toString();
    }
}
