package io.netattach.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Seed inputs: the NADs of {@code deploy/examples} and the CNI configs of the validator corpus
 * ({@code src/test/resources/nad-corpus}), loaded once.
 */
public final class Seeds {

    static final ObjectMapper JSON = new ObjectMapper();
    static final YAMLMapper YAML = new YAMLMapper();

    /** Whole NAD objects: the two seed NADs and every corpus case as a NAD. */
    public static final List<ObjectNode> NADS;
    /** CNI config texts that parse as JSON (seed and corpus). */
    public static final List<String> CONFIGS;
    /** The same configs as trees. */
    public static final List<JsonValue> CONFIG_TREES;
    /** The seed pod. */
    public static final ObjectNode POD;

    static {
        try {
            List<ObjectNode> nads = new ArrayList<>();
            List<String> configs = new ArrayList<>();
            for (String name : List.of("management", "sip")) {
                ObjectNode nad = (ObjectNode) YAML.readTree(Path.of("deploy/examples", name + ".yaml").toFile());
                nads.add(nad);
                configs.add(nad.path("spec").path("config").asText());
            }
            POD = (ObjectNode) YAML.readTree(Path.of("deploy/examples/pod.yaml").toFile());
            try (Stream<Path> files = Files.walk(Path.of("src/test/resources/nad-corpus"))) {
                for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                    JsonNode c = YAML.readTree(file.toFile());
                    if (c.has("nad") && c.get("nad").isObject()) {
                        nads.add((ObjectNode) c.get("nad"));
                    }
                    String config = c.has("config") ? c.get("config").asText() : c.has("cni") ? c.get("cni").asText() : null;
                    if (config != null) {
                        ObjectNode nad = JSON.createObjectNode();
                        nad.put("apiVersion", "k8s.cni.cncf.io/v1").put("kind", "NetworkAttachmentDefinition");
                        nad.putObject("metadata").put("name", c.path("name").asText("net")).put("namespace", "default");
                        nad.putObject("spec").put("config", config);
                        nads.add(nad);
                        configs.add(config);
                    }
                }
            }
            NADS = List.copyOf(nads);
            List<String> parsable = new ArrayList<>();
            List<JsonValue> trees = new ArrayList<>();
            for (String config : configs) {
                try {
                    trees.add(Json.parse(config));
                    parsable.add(config);
                } catch (RuntimeException e) {
                    // invalid corpus configs stay seeds for text mutation only via NADS
                }
            }
            CONFIGS = List.copyOf(parsable);
            CONFIG_TREES = List.copyOf(trees);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Seeds() {
    }

    /** A Jackson tree of a JSON value (JsonValue -> text -> Jackson). */
    public static JsonNode jackson(JsonValue value) {
        try {
            return JSON.readTree(Json.write(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
