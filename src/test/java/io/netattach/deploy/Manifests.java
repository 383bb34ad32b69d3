package io.netattach.deploy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the deploy manifests: YAML documents into Jackson trees, and trees into fabric8 model
 * objects with no tolerance for unknown fields (fabric8's models keep unknown fields in
 * {@code additionalProperties}; this mapper disables that, so a misspelt or misplaced field fails).
 */
final class Manifests {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path DEPLOY = ROOT.resolve("deploy");

    /** The typed model of every kind the bundle uses; other kinds (CRDs) are checked as generic resources. */
    static final Map<String, Class<? extends HasMetadata>> TYPED = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("apiextensions.k8s.io/v1/CustomResourceDefinition",
                    io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Pod", Pod.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/DaemonSet", DaemonSet.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
            Map.entry("admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration", ValidatingWebhookConfiguration.class),
            Map.entry("admissionregistration.k8s.io/v1/MutatingWebhookConfiguration", MutatingWebhookConfiguration.class));

    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory());

    /** Jackson, strict: unknown properties fail, fabric8's any-setter (additionalProperties) is ignored. */
    static final ObjectMapper STRICT = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                private static final long serialVersionUID = 1L;

                @Override
                public Boolean hasAnySetter(Annotated a) {
                    return Boolean.FALSE;
                }

                @Override
                public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated a) {
                    return JsonIgnoreProperties.Value.empty();
                }
            });

    /** For generic resources, whose any-setter is where the custom fields go. */
    private static final ObjectMapper LENIENT = new ObjectMapper();

    private Manifests() {
    }

    /** One YAML document of a file. */
    record Doc(Path file, int index, ObjectNode tree) {
        String apiVersion() {
            return tree.path("apiVersion").asText();
        }

        String kind() {
            return tree.path("kind").asText();
        }

        String name() {
            return tree.path("metadata").path("name").asText();
        }

        String key() {
            return apiVersion() + "/" + kind();
        }

        @Override
        public String toString() {
            return (file.isAbsolute() ? ROOT.relativize(file) : file) + "#" + index + " " + kind() + " " + name();
        }
    }

    static List<Doc> read(Path file) {
        try {
            return parse(file, Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Doc> parse(Path origin, String yaml) throws IOException {
        List<Doc> docs = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(yaml)) {
            Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
            int i = 0;
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node == null || node.isNull() || node.isMissingNode()) {
                    continue;
                }
                if (!(node instanceof ObjectNode object)) {
                    throw new IOException(origin + " document " + i + " is not a mapping");
                }
                docs.add(new Doc(origin, i++, object));
            }
        }
        return docs;
    }

    /** All YAML documents of the manifest files below {@code dir} (kustomization files and generated tls/ excluded). */
    static List<Doc> readTree(Path dir) {
        List<Doc> docs = new ArrayList<>();
        for (Path file : manifestFiles(dir)) {
            docs.addAll(read(file));
        }
        return docs;
    }

    static List<Path> manifestFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .filter(f -> !f.getFileName().toString().startsWith("kustomization."))
                    .filter(f -> !isGeneratedTls(f))
                    .filter(f -> !f.startsWith(DEPLOY.resolve("components"))) // JSON 6902 operations, not objects
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> kustomizationFiles() {
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            return files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isGeneratedTls(Path f) {
        return f.startsWith(DEPLOY.resolve("overlays/self-signed/tls"));
    }

    /** The typed fabric8 object of a document; fails on any unknown or mistyped field. */
    static HasMetadata typed(Doc doc) {
        Class<? extends HasMetadata> type = TYPED.get(doc.key());
        if (type == null) {
            throw new IllegalArgumentException(doc + ": no typed model for " + doc.key());
        }
        try {
            return STRICT.treeToValue(doc.tree(), type);
        } catch (IOException | IllegalArgumentException e) {
            throw new AssertionError(doc + ": " + e.getMessage(), e);
        }
    }

    static <T extends HasMetadata> T typed(Doc doc, Class<T> type) {
        return type.cast(typed(doc));
    }

    /** A custom resource: only apiVersion/kind/metadata/spec at the top, metadata strictly an ObjectMeta. */
    static GenericKubernetesResource generic(Doc doc, Set<String> topLevel) {
        List<String> unknown = new ArrayList<>();
        doc.tree().fieldNames().forEachRemaining(f -> {
            if (!topLevel.contains(f)) {
                unknown.add(f);
            }
        });
        if (!unknown.isEmpty()) {
            throw new AssertionError(doc + ": unknown top-level fields " + unknown);
        }
        try {
            STRICT.treeToValue(doc.tree().path("metadata"), ObjectMeta.class);
            return LENIENT.treeToValue(doc.tree(), GenericKubernetesResource.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new AssertionError(doc + ": " + e.getMessage(), e);
        }
    }

    static List<Doc> ofKind(List<Doc> docs, String kind) {
        return docs.stream().filter(d -> d.kind().equals(kind)).toList();
    }

    static Doc one(List<Doc> docs, String kind, String name) {
        List<Doc> found = docs.stream().filter(d -> d.kind().equals(kind) && d.name().equals(name)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one " + kind + " " + name + ", found " + found.size() + ": " + found);
        }
        return found.getFirst();
    }

    static Path overlay(String name) {
        return DEPLOY.resolve("overlays").resolve(name);
    }

    static String relative(Path p) {
        return ROOT.relativize(p.toAbsolutePath()).toString();
    }
}
