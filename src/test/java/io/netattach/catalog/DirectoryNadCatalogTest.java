package io.netattach.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.netattach.injection.NadInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectoryNadCatalogTest {

    private Path dir;
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<DirectoryNadCatalog> opened = new ArrayList<>();

    @BeforeEach
    void createDir() throws IOException {
        dir = Files.createTempDirectory("netattach-catalog-");
    }

    @AfterEach
    void cleanUp() throws IOException {
        opened.forEach(DirectoryNadCatalog::close);
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private DirectoryNadCatalog open(Path path, Duration poll) {
        DirectoryNadCatalog catalog = new DirectoryNadCatalog(path, poll, problems::add);
        opened.add(catalog);
        catalog.start();
        return catalog;
    }

    static String nadYaml(String namespace, String name, String selector, String iface) {
        return """
                apiVersion: k8s.cni.cncf.io/v1
                kind: NetworkAttachmentDefinition
                metadata:
                  name: %s
                  %s
                  annotations:
                    netattach.io/inject-selector: "%s"
                    netattach.io/interface: %s
                spec:
                  config: '{"cniVersion":"1.0.0","name":"%s","type":"bridge"}'
                """.formatted(name, namespace == null ? "" : "namespace: " + namespace, selector, iface, name);
    }

    private void write(String file, String content) throws IOException {
        Path p = dir.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        // make sure the change is visible to the poller even on coarse-mtime file systems
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().plusSeconds(opened.size() + problems.size() + 1)));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void readsTheSeedExamplesAndSkipsOtherKinds() {
        DirectoryNadCatalog catalog = open(Path.of("deploy/examples"), Duration.ZERO);
        assertTrue(catalog.ready());
        assertEquals(4, catalog.size(), "the seed NADs and those of the injection example (deploy/examples/injection)");
        assertEquals(List.of("management-net", "sip-net"),
                catalog.namespace("chain-example").matching(Map.of("app", "chain-test")).stream().map(NadInfo::name).toList());
        assertEquals(List.of("management-net", "sip-net"),
                catalog.namespace("netattach-demo").matching(Map.of("app", "sip-proxy")).stream().map(NadInfo::name).toList());
        assertTrue(catalog.covers("anything"));
        assertEquals(List.of(), problems);
    }

    @Test
    void multiDocumentYamlJsonSubdirectoriesAndDefaultNamespace() throws IOException {
        write("a.yaml", nadYaml("ns1", "a", "app=x", "eth1") + "---\n" + nadYaml("ns1", "b", "app=x", "eth2")
                + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n");
        write("sub/c.json", "{\"apiVersion\":\"k8s.cni.cncf.io/v1\",\"kind\":\"NetworkAttachmentDefinition\",\"metadata\":{\"name\":\"c\"},\"spec\":{}}");
        write(".hidden/d.yaml", nadYaml("ns1", "hidden", "app=x", "eth3"));
        write("notes.txt", "ignored");
        DirectoryNadCatalog catalog = open(dir, Duration.ZERO);
        assertEquals(3, catalog.size());
        assertEquals(2, catalog.namespace("ns1").size());
        assertTrue(catalog.find("default", "c").isPresent());
    }

    @Test
    void brokenFilesAreSkippedNotFatal() throws IOException {
        write("good.yaml", nadYaml("ns", "good", "app=x", "eth1"));
        write("bad.yaml", "kind: [unclosed\n");
        DirectoryNadCatalog catalog = open(dir, Duration.ZERO);
        assertTrue(catalog.ready());
        assertEquals(1, catalog.size());
    }

    @Test
    void theSegmentIndexSpansNamespacesAndFollowsReloads() throws Exception {
        java.net.InetAddress ip = java.net.InetAddress.getByName("192.168.100.10");
        ObjectMapper yaml = new ObjectMapper();
        write("a.json", yaml.writeValueAsString(io.netattach.plan.SegmentIndexTest.nad("seg-a", "n1", "br-ex", 100, "192.168.100.10/24")));
        write("b.json", yaml.writeValueAsString(io.netattach.plan.SegmentIndexTest.nad("seg-b", "n2", "br-ex", 100, "192.168.100.10/24")));
        DirectoryNadCatalog catalog = open(dir, Duration.ofMillis(50));
        assertEquals(java.util.Set.of("seg-a/n1", "seg-b/n2"), catalog.segments().holders("br-ex", java.util.Optional.of(100), ip));
        Files.delete(dir.resolve("b.json"));
        await(() -> catalog.segments().holders("br-ex", java.util.Optional.of(100), ip).equals(java.util.Set.of("seg-a/n1")), "n2 to go");
    }

    @Test
    void reloadsWhenAFileChangesAppearsOrDisappears() throws Exception {
        write("a.yaml", nadYaml("ns", "a", "app=x", "eth1"));
        DirectoryNadCatalog catalog = open(dir, Duration.ofMillis(50));
        assertEquals(List.of("a"), catalog.namespace("ns").matching(Map.of("app", "x")).stream().map(NadInfo::name).toList());

        write("b.yaml", nadYaml("ns", "b", "app=x", "eth2"));
        await(() -> catalog.namespace("ns").matching(Map.of("app", "x")).size() == 2, "b to appear");

        write("a.yaml", nadYaml("ns", "a", "app=y", "eth1"));
        await(() -> catalog.namespace("ns").matching(Map.of("app", "x")).size() == 1, "a to change selector");
        assertEquals("a", catalog.namespace("ns").matching(Map.of("app", "y")).getFirst().name());

        Files.delete(dir.resolve("b.yaml"));
        await(() -> catalog.find("ns", "b").isEmpty(), "b to disappear");
        assertEquals(1, catalog.size());
    }

    @Test
    void invalidSelectorIsReportedOnceAndIgnored() throws Exception {
        write("a.yaml", nadYaml("ns", "a", "app in (x", "eth1"));
        DirectoryNadCatalog catalog = open(dir, Duration.ZERO);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.getFirst().contains("ns/a") && problems.getFirst().contains("app in (x"), problems.getFirst());
        assertEquals(1, catalog.invalidAnnotations());
        assertTrue(catalog.namespace("ns").matching(Map.of("app", "x")).isEmpty());

        write("b.yaml", nadYaml("ns", "b", "app=x", "eth2"));
        assertTrue(catalog.reload());
        assertEquals(1, problems.size(), "not reported again: " + problems);

        write("a.yaml", nadYaml("ns", "a", "app=x", "eth1"));
        assertTrue(catalog.reload());
        assertEquals(0, catalog.invalidAnnotations());
    }

    @Test
    void missingDirectoryIsNotReadyUntilItAppears() throws Exception {
        Path later = dir.resolve("later");
        DirectoryNadCatalog catalog = open(later, Duration.ofMillis(50));
        assertFalse(catalog.ready());
        assertFalse(catalog.covers("ns"));
        assertTrue(catalog.status().contains("does not exist"));
        write("later/a.yaml", nadYaml("ns", "a", "app=x", "eth1"));
        await(catalog::ready, "the directory to be read");
        assertEquals(1, catalog.size());
    }
}
