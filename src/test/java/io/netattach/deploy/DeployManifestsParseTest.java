package io.netattach.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Service;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue;
import io.netattach.deploy.Manifests.Doc;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every manifest of deploy/ (base, overlays, examples) parses into fabric8 model objects with no unknown field. */
class DeployManifestsParseTest {

    private static final Set<String> RESOURCE_TOP_LEVEL = Set.of("apiVersion", "kind", "metadata", "spec");

    /**
     * cert-manager.io/v1 fields this bundle may use (a subset of the CRD schema): a misspelt field
     * would otherwise be dropped silently by the API server's pruning.
     */
    private static final Map<String, Set<String>> CERT_MANAGER_FIELDS = Map.of(
            "Issuer.spec", Set.of("selfSigned", "ca"),
            "Issuer.spec.ca", Set.of("secretName"),
            "Certificate.spec", Set.of("isCA", "commonName", "secretName", "dnsNames", "duration", "renewBefore",
                    "privateKey", "usages", "issuerRef", "subject", "secretTemplate"),
            "Certificate.spec.privateKey", Set.of("algorithm", "size", "encoding", "rotationPolicy"),
            "Certificate.spec.issuerRef", Set.of("kind", "name", "group"));

    /** Fields known to every kustomize from v2.0.3 (kubectl 1.14-1.20) to v5. */
    private static final Set<String> KUSTOMIZE_V2_FIELDS = Set.of("apiVersion", "kind", "resources", "bases", "images",
            "secretGenerator", "configMapGenerator", "generatorOptions", "patchesJson6902", "patchesStrategicMerge",
            "namespace", "namePrefix", "nameSuffix", "commonAnnotations");

    @TestFactory
    Stream<DynamicTest> everyManifestParsesStrictly() {
        List<Path> files = Manifests.manifestFiles(Manifests.DEPLOY);
        assertTrue(files.size() >= 15, "found the manifests: " + files);
        return files.stream().map(file -> DynamicTest.dynamicTest(Manifests.relative(file), () -> {
            List<Doc> docs = Manifests.read(file);
            assertFalse(docs.isEmpty(), file + " holds no document");
            for (Doc doc : docs) {
                checkDocument(doc);
            }
        }));
    }

    private static void checkDocument(Doc doc) {
        assertFalse(doc.name().isEmpty(), doc + ": metadata.name is missing");
        if (Manifests.TYPED.containsKey(doc.key())) {
            Manifests.typed(doc);
            return;
        }
        switch (doc.key()) {
            case "k8s.cni.cncf.io/v1/NetworkAttachmentDefinition" -> {
                Manifests.generic(doc, RESOURCE_TOP_LEVEL);
                JsonNode spec = doc.tree().path("spec");
                List<String> fields = new ArrayList<>();
                spec.fieldNames().forEachRemaining(fields::add);
                assertEquals(List.of("config"), fields, doc + ": spec fields");
                JsonValue config = Json.parse(spec.path("config").asText());
                assertInstanceOf(JsonValue.JsonObject.class, config, doc + ": spec.config is a JSON object");
            }
            case "cert-manager.io/v1/Issuer", "cert-manager.io/v1/Certificate" -> {
                Manifests.generic(doc, RESOURCE_TOP_LEVEL);
                checkFields(doc, doc.kind() + ".spec", doc.tree().path("spec"));
            }
            default -> throw new AssertionError(doc + ": unexpected kind " + doc.key());
        }
    }

    private static void checkFields(Doc doc, String path, JsonNode node) {
        Set<String> allowed = CERT_MANAGER_FIELDS.get(path);
        if (allowed == null || !node.isObject()) {
            return;
        }
        node.fieldNames().forEachRemaining(f -> {
            assertTrue(allowed.contains(f), doc + ": unknown field " + path + "." + f);
            checkFields(doc, path + "." + f, node.path(f));
        });
    }

    @TestFactory
    Stream<DynamicTest> kustomizationsUseOnlyFieldsOfKustomizeV2AndNameExistingFiles() {
        List<Path> kustomizations = Manifests.kustomizationFiles();
        assertEquals(5, kustomizations.size(), "base, three overlays and one component: " + kustomizations);
        return kustomizations.stream().map(file -> DynamicTest.dynamicTest(Manifests.relative(file), () -> {
            Doc k = Manifests.read(file).getFirst();
            boolean component = file.startsWith(Manifests.DEPLOY.resolve("components"));
            // components (kustomize 3.7+, kubectl 1.21+) only where an old API server needs them: the
            // component itself and the openshift overlay, which says so
            boolean usesComponents = component || file.startsWith(Manifests.DEPLOY.resolve("overlays/openshift"));
            assertEquals(component ? "kustomize.config.k8s.io/v1alpha1" : "kustomize.config.k8s.io/v1beta1", k.apiVersion());
            assertEquals(component ? "Component" : "Kustomization", k.kind());
            k.tree().fieldNames().forEachRemaining(f -> assertTrue(KUSTOMIZE_V2_FIELDS.contains(f)
                    || (usesComponents && f.equals("components")), file + ": field " + f + " is unknown to kustomize v2.0.3"));
            k.tree().path("components").forEach(n -> assertTrue(Files.isRegularFile(file.getParent().resolve(n.asText()).resolve("kustomization.yaml")),
                    file + " names component " + n.asText() + ", which does not exist"));
            Path dir = file.getParent();
            List<String> referenced = new ArrayList<>();
            k.tree().path("resources").forEach(n -> referenced.add(n.asText()));
            k.tree().path("bases").forEach(n -> referenced.add(n.asText()));
            k.tree().path("patchesStrategicMerge").forEach(n -> referenced.add(n.asText()));
            k.tree().path("patchesJson6902").forEach(n -> referenced.add(n.path("path").asText()));
            k.tree().path("secretGenerator").forEach(g -> g.path("files").forEach(n -> referenced.add(n.asText())));
            for (String ref : referenced) {
                if (ref.startsWith("tls/")) {
                    continue; // written by certs/generate.sh --out deploy/overlays/self-signed/tls
                }
                assertTrue(Files.exists(dir.resolve(ref)), file + " names " + ref + ", which does not exist");
            }
            k.tree().path("resources").forEach(n -> assertTrue(Files.isRegularFile(dir.resolve(n.asText())),
                    file + ": kustomize v2.0.3 takes files only under resources (directories go under bases): " + n.asText()));
        }));
    }

    @Test
    void componentPatchesAreJson6902OperationsThatTestBeforeTheyChange() throws IOException {
        Path dir = Manifests.DEPLOY.resolve("components/no-match-conditions");
        for (String file : List.of("validating.yaml", "mutating.yaml")) {
            JsonNode ops = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                    .readTree(dir.resolve(file).toFile());
            assertTrue(ops.isArray() && !ops.isEmpty(), file);
            java.util.Set<String> tested = new java.util.HashSet<>();
            for (JsonNode op : ops) {
                String path = op.path("path").asText();
                String webhook = path.split("/")[2];
                switch (op.path("op").asText()) {
                    case "test" -> {
                        assertEquals("/webhooks/" + webhook + "/name", path, file);
                        tested.add(webhook);
                    }
                    case "remove", "replace" -> assertTrue(tested.contains(webhook), file + ": " + path + " changed before its name is tested");
                    default -> throw new AssertionError(file + ": unexpected operation " + op);
                }
            }
        }
    }

    @Test
    void theStrictParserRejectsUnknownFields() throws IOException {
        List<Doc> docs = Manifests.parse(Path.of("inline.yaml"), """
                apiVersion: v1
                kind: Service
                metadata:
                  name: x
                spec:
                  prots:
                    - port: 443
                """);
        AssertionError e = assertThrows(AssertionError.class, () -> Manifests.typed(docs.getFirst()));
        assertTrue(e.getMessage().contains("prots"), e.getMessage());

        List<Doc> misplaced = Manifests.parse(Path.of("inline.yaml"), """
                apiVersion: v1
                kind: Service
                metadata:
                  name: x
                  selector: {app: x}
                """);
        assertThrows(AssertionError.class, () -> Manifests.typed(misplaced.getFirst()));

        List<Doc> ok = Manifests.parse(Path.of("inline.yaml"), """
                apiVersion: v1
                kind: Service
                metadata:
                  name: x
                spec:
                  ports:
                    - port: 443
                      targetPort: https
                """);
        assertEquals("https", Manifests.typed(ok.getFirst(), Service.class).getSpec().getPorts().getFirst().getTargetPort().getStrVal());
    }
}
