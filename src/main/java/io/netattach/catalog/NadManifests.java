package io.netattach.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads Kubernetes manifests from files and directories: YAML (multi-document) or JSON, directories
 * recursively ({@code .yaml}, {@code .yml}, {@code .json}), {@code kind: List} flattened. Returns the
 * NetworkAttachmentDefinitions and, separately, one line per file or document that could not be read.
 */
public final class NadManifests {

    public static final String KIND = "NetworkAttachmentDefinition";
    public static final String API_VERSION = "k8s.cni.cncf.io/v1";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One document: where it came from and its tree. */
    public record Document(Path file, int index, JsonNode node) {
        public boolean isNad() {
            return KIND.equals(node.path("kind").asText()) && node.path("apiVersion").asText().startsWith("k8s.cni.cncf.io/");
        }
    }

    /** What {@link #read} found. */
    public record Result(List<Document> documents, List<String> errors) {
        public List<Document> nads() {
            return documents.stream().filter(Document::isNad).toList();
        }
    }

    private NadManifests() {
    }

    /** The manifest files under {@code path} (itself when a file), sorted. */
    public static List<Path> files(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            // hidden entries are skipped at every level: ConfigMap volumes keep their files twice, under ..data
            return walk.filter(p -> !hidden(path.relativize(p))).filter(Files::isRegularFile)
                    .filter(NadManifests::isManifestName).sorted().toList();
        }
    }

    static boolean isManifestName(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** Reads every document of every manifest under {@code paths}; never throws for bad content. */
    public static Result read(List<Path> paths) {
        List<Document> documents = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                errors.add(path + ": no such file or directory");
                continue;
            }
            List<Path> files;
            try {
                files = files(path);
            } catch (IOException e) {
                errors.add(path + ": cannot list: " + e.getMessage());
                continue;
            }
            for (Path file : files) {
                readFile(file, documents, errors);
            }
        }
        return new Result(documents, errors);
    }

    /** Reads one file's documents (YAML is a superset of JSON, so one reader serves both). */
    public static void readFile(Path file, List<Document> documents, List<String> errors) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException | java.io.UncheckedIOException e) {
            errors.add(file + ": cannot read: " + e.getMessage());
            return;
        }
        int index = 0;
        try (JsonParser parser = YAML.getFactory().createParser(text);
             MappingIterator<JsonNode> it = YAML.readValues(parser, JsonNode.class)) {
            while (it.hasNextValue()) {
                JsonNode node = it.nextValue();
                if (node != null && node.isObject() && !node.isEmpty()) {
                    if ("List".equals(node.path("kind").asText()) && node.path("items").isArray()) {
                        for (JsonNode item : node.path("items")) {
                            documents.add(new Document(file, index, item));
                        }
                    } else {
                        documents.add(new Document(file, index, node));
                    }
                }
                index++;
            }
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            errors.add(file + ": document " + index + " is not valid YAML or JSON: " + message);
        }
    }
}
