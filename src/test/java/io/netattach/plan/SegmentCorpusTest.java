package io.netattach.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.netattach.cni.Finding;
import io.netattach.injection.NadInfo;
import io.netattach.manifest.ManifestReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared-segment corpus: each {@code src/test/resources/segments/NN-name.yaml} holds NADs of one
 * or more namespaces; the last one is admitted (header {@code # admit: namespace/name}), the others are
 * the catalog (indexed in a {@link SegmentIndex}). {@code NN-name.expected} holds the warnings the
 * admitted NAD gets ({@code path: message}, one a line) or {@code no warning}.
 * {@code -Dsegments.corpus.write=true} rewrites the expected files (review the diff).
 */
class SegmentCorpusTest {

    static final Path DIR = Path.of("src/test/resources/segments");

    @TestFactory
    Stream<DynamicTest> everyScenarioGivesItsExpectedWarnings() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(DIR)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 8, "scenarios: " + files.size());
        boolean write = Boolean.getBoolean("segments.corpus.write");
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            ManifestReader.NadScan scan = new ManifestReader(InputStream.nullInputStream()).nads(List.of(file));
            assertEquals(List.of(), scan.problems());
            List<JsonNode> nads = scan.nads().stream().map(ManifestReader.FoundNad::node).toList();
            JsonNode admitted = nads.getLast();
            String namespace = admitted.path("metadata").path("namespace").asText();
            String header = Files.readAllLines(file).stream().filter(l -> l.startsWith("# admit: ")).findFirst().orElseThrow();
            assertEquals(header.substring("# admit: ".length()), namespace + "/" + admitted.path("metadata").path("name").asText(),
                    "the admitted NAD is the last document");
            List<NadInfo> catalog = new ArrayList<>();
            for (JsonNode nad : nads.subList(0, nads.size() - 1)) {
                catalog.add(NadInfo.fromManifest(nad, "default"));
            }
            List<Finding> findings = NadPlans.sharedSegment(admitted, namespace, SegmentIndex.of(catalog));
            StringBuilder actual = new StringBuilder();
            for (Finding f : findings) {
                assertEquals(io.netattach.cni.Severity.WARNING, f.severity(), f.toString());
                actual.append(f.path()).append(": ").append(f.message()).append('\n');
            }
            if (findings.isEmpty()) {
                actual.append("no warning\n");
            }
            Path expected = DIR.resolve(file.getFileName().toString().replace(".yaml", ".expected"));
            if (write) {
                Files.writeString(expected, actual.toString());
            }
            assertEquals(Files.readString(expected), actual.toString());
        }));
    }
}
