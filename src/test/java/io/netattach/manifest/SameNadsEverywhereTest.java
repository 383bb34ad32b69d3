package io.netattach.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netattach.catalog.DirectoryNadCatalog;
import io.netattach.cli.InjectCommand;
import io.netattach.cli.LintCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One directory holding every shape of manifest file gives the same NetworkAttachmentDefinitions to
 * the server's directory catalog, to {@code lint} and to {@code inject}: extension case, multi-document
 * YAML, {@code NetworkAttachmentDefinitionList} and {@code v1 List}, byte-order marks, subdirectories,
 * hidden directories, wrong apiVersion, other extensions, bare CNI configs.
 */
class SameNadsEverywhereTest {

    /** Every NAD's config is broken on purpose, so that lint names each NAD it read in a finding. */
    static String nad(String namespace, String name) {
        return """
                apiVersion: k8s.cni.cncf.io/v1
                kind: NetworkAttachmentDefinition
                metadata:
                  name: %s
                %s
                spec:
                  config: 'not json'
                """.formatted(name, namespace == null ? "" : "  namespace: " + namespace);
    }

    static String nadJson(String namespace, String name) {
        return "{\"apiVersion\":\"k8s.cni.cncf.io/v1\",\"kind\":\"NetworkAttachmentDefinition\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"" + namespace + "\"},\"spec\":{\"config\":\"not json\"}}";
    }

    static final Set<String> EXPECTED = new TreeSet<>(List.of(
            "ns1/a", "ns1/b", "ns2/c", "ns2/d", "ns2/bom-json", "ns3/e", "ns3/f", "ns3/g", "default/h"));
    static final List<String> NOT_NADS = List.of("ns1/hidden", "ns1/wrong-api", "ns1/txt", "ns1/no-api");

    @TempDir
    Path dir;

    private void write(String file, String content) throws IOException {
        Path p = dir.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private void fixture() throws IOException {
        write("a.yaml", "---\n" + nad("ns1", "a") + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n---\n---\n" + nad("ns1", "b"));
        write("B.YML", "\uFEFF" + nad("ns2", "c"));
        write("c.JSON", nadJson("ns2", "d"));
        write("bom.json", "\uFEFF" + nadJson("ns2", "bom-json"));
        write("list.Yaml", "apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinitionList\nitems:\n"
                + "- " + nadJson("ns3", "e") + "\n- " + nadJson("ns3", "f") + "\n");
        write("v1list.json", "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + nadJson("ns3", "g")
                + ",{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}]}");
        write("sub/deeper/h.yaml", nad(null, "h"));
        write(".hidden/x.yaml", nad("ns1", "hidden"));
        write("wrong-api.yaml", nad("ns1", "wrong-api").replace("k8s.cni.cncf.io/v1", "v1"));
        write("no-api.yaml", nad("ns1", "no-api").replace("apiVersion: k8s.cni.cncf.io/v1\n", ""));
        write("notes.txt", nad("ns1", "txt"));
        write("cni.conflist", "{\"cniVersion\":\"1.0.0\",\"name\":\"bare\",\"plugins\":[{\"type\":\"bridge\"}]}");
    }

    record Run(int exit, String out, String err) {
    }

    private static Run run(io.netattach.cli.CliCommand command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = command.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theReaderFindsExactlyTheNads() throws IOException {
        fixture();
        ManifestReader.NadScan scan = new ManifestReader().nads(List.of(dir));
        assertEquals(List.of(), scan.problems());
        Set<String> keys = new TreeSet<>();
        for (ManifestReader.FoundNad found : scan.nads()) {
            keys.add(found.node().at("/metadata/namespace").asText("default") + "/" + found.node().at("/metadata/name").asText());
        }
        assertEquals(EXPECTED, keys);
        assertEquals(EXPECTED.size(), scan.nads().size(), "each NAD once");
    }

    @Test
    void theCatalogLintAndInjectSeeTheSameNads() throws IOException {
        fixture();

        DirectoryNadCatalog catalog = new DirectoryNadCatalog(dir, Duration.ZERO, new CopyOnWriteArrayList<String>()::add);
        try {
            catalog.start();
            assertTrue(catalog.ready(), catalog.status());
            assertEquals(EXPECTED, new TreeSet<>(catalog.keys()), "the server's directory catalog");
        } finally {
            catalog.close();
        }

        Run lint = run(new LintCommand(), "--format=json", dir.toString());
        assertEquals(1, lint.exit(), "every NAD has a broken config: " + lint.err());
        Set<String> linted = new TreeSet<>();
        for (JsonNode finding : new ObjectMapper().readTree(lint.out())) {
            if (finding.path("kind").asText().equals("NetworkAttachmentDefinition")) {
                String namespace = finding.path("namespace").isTextual() ? finding.path("namespace").asText() : "default";
                linted.add(namespace + "/" + finding.path("name").asText());
            }
        }
        assertEquals(EXPECTED, linted, "lint: " + lint.out());
        assertTrue(lint.err().contains(" " + EXPECTED.size() + " NetworkAttachmentDefinitions,"), lint.err());
        assertTrue(lint.err().contains("wrong-api.yaml:1: skipped NetworkAttachmentDefinition wrong-api (apiVersion \"v1\" is not k8s.cni.cncf.io/<version>)"),
                "a NAD kind with another apiVersion is said to be skipped: " + lint.err());

        // inject resolves every expected NAD (deny mode: a missing one is an error) and none of the others
        StringBuilder pods = new StringBuilder();
        for (String namespace : List.of("ns1", "ns2", "ns3", "default")) {
            List<String> names = EXPECTED.stream().filter(k -> k.startsWith(namespace + "/")).map(k -> k.substring(namespace.length() + 1)).toList();
            pods.append(pod(namespace, names));
        }
        Path podFile = Files.writeString(dir.resolveSibling(dir.getFileName() + "-pods.yaml"), pods);
        try {
            Run inject = run(new InjectCommand(), "--nads", dir.toString(), podFile.toString());
            assertEquals(0, inject.exit(), inject.err());
            assertTrue(inject.err().contains("inject: " + EXPECTED.size() + " NetworkAttachmentDefinitions, 4 pods"), inject.err());

            for (String key : NOT_NADS) {
                String[] parts = key.split("/");
                Files.writeString(podFile, pod(parts[0], List.of(parts[1])));
                Run missing = run(new InjectCommand(), "--nads", dir.toString(), podFile.toString());
                assertEquals(1, missing.exit(), key + " is not a NAD of the directory: " + missing.err());
                assertTrue(missing.err().contains("NetworkAttachmentDefinition " + key + " does not exist"), missing.err());
            }
        } finally {
            Files.deleteIfExists(podFile);
        }
    }

    private static String pod(String namespace, List<String> networks) {
        return """
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: p-%s
                  namespace: %s
                  annotations:
                    k8s.v1.cni.cncf.io/networks: "%s"
                spec:
                  containers:
                  - name: c
                    image: busybox
                """.formatted(namespace, namespace, String.join(",", networks));
    }
}
