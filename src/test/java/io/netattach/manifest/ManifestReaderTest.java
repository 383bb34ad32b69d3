package io.netattach.manifest;

import io.netattach.manifest.ManifestReader.Content;
import io.netattach.manifest.ManifestReader.Document;
import io.netattach.manifest.ManifestReader.UnreadableInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manifest reader that {@code lint} (and later {@code inject}) use. */
class ManifestReaderTest {

    @TempDir
    Path dir;

    private final ManifestReader reader = new ManifestReader();

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    @Test
    void yamlDocumentsKeepTheirIndexAndEmptyOnesAreLeftOut() throws Exception {
        Path file = write("m.yaml", "---\n# nothing\n---\nkind: A\n---\n---\nkind: B\n...\n");
        List<Document> docs = reader.read(file);
        assertEquals(2, docs.size());
        assertEquals(2, docs.get(0).index());
        assertEquals(4, docs.get(1).index());
        assertEquals("A", ((Content.KubernetesObject) docs.get(0).content()).node().path("kind").asText());
        assertEquals("", docs.get(0).itemPointer());
        assertEquals(file, docs.get(1).file());
    }

    @Test
    void listKindsYieldTheirItems() throws Exception {
        Path file = write("l.yaml", "kind: Pod\n---\napiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinitionList\n"
                + "items:\n- kind: NetworkAttachmentDefinition\n  metadata: {name: a}\n- kind: NetworkAttachmentDefinition\n  metadata: {name: b}\n");
        List<Document> docs = reader.read(file);
        assertEquals(3, docs.size());
        assertEquals(List.of(1, 2, 2), docs.stream().map(Document::index).toList());
        assertEquals(List.of("", "/items/0", "/items/1"), docs.stream().map(Document::itemPointer).toList());
    }

    @Test
    void jsonFilesAreManifestsOrBareCniConfigs() throws Exception {
        Path manifest = write("nad.json", "{\"apiVersion\": \"k8s.cni.cncf.io/v1\", \"kind\": \"NetworkAttachmentDefinition\"}");
        Path cni = write("net.json", "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": []}");
        Path conflist = write("10-net.conflist", "not even JSON");
        assertInstanceOf(Content.KubernetesObject.class, reader.read(manifest).get(0).content());
        Content cniContent = reader.read(cni).get(0).content();
        assertEquals("{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": []}", ((Content.CniConfig) cniContent).text());
        assertEquals("not even JSON", ((Content.CniConfig) reader.read(conflist).get(0).content()).text());
    }

    @Test
    void directoriesExpandRecursivelyToManifestFilesInNameOrder() throws Exception {
        write("z.yaml", "kind: A\n");
        write("sub/a.yml", "kind: B\n");
        write("sub/b.conflist", "{}");
        write("sub/c.txt", "x");
        write(".git/d.yaml", "kind: C\n");
        write("sub/.e.yaml", "kind: D\n");
        assertEquals(List.of(dir.resolve("sub/a.yml"), dir.resolve("sub/b.conflist"), dir.resolve("z.yaml")), reader.expand(dir));
        assertEquals(List.of(dir.resolve("sub/c.txt")), reader.expand(dir.resolve("sub/c.txt")));
    }

    @Test
    void unreadableInputNamesTheFileAndTheReason() throws Exception {
        Path missing = dir.resolve("missing.yaml");
        assertEquals(missing + ": no such file or directory", assertThrows(UnreadableInputException.class, () -> reader.expand(missing)).getMessage());
        assertEquals(missing + ": no such file or directory", assertThrows(UnreadableInputException.class, () -> reader.read(missing)).getMessage());
        assertEquals(dir + ": is a directory", assertThrows(UnreadableInputException.class, () -> reader.read(dir)).getMessage());
        Path bad = write("bad.yaml", "a: b\n c: d: e\n");
        String yamlError = assertThrows(UnreadableInputException.class, () -> reader.read(bad)).getMessage();
        assertTrue(yamlError.startsWith(bad + ": invalid YAML at line 2"), yamlError);
        assertTrue(!yamlError.contains("\n"), yamlError);
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, "name: caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(latin1 + ": not UTF-8 text", assertThrows(UnreadableInputException.class, () -> reader.read(latin1)).getMessage());
    }

    @Test
    void standardInputIsReadOnceAsYaml() throws Exception {
        ManifestReader stdin = new ManifestReader(new ByteArrayInputStream("kind: A\n---\nkind: B\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(Path.of("-")), stdin.expand(Path.of("-")));
        assertEquals(2, stdin.read(Path.of("-")).size());
    }

    @Test
    void aByteOrderMarkIsIgnored() throws Exception {
        Path file = dir.resolve("bom.yaml");
        Files.write(file, "\uFEFFkind: A\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("A", ((Content.KubernetesObject) reader.read(file).get(0).content()).node().path("kind").asText());
    }
}
