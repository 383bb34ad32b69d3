package io.netattach.validation;

import io.netattach.plan.ClusterNetworks;
import io.netattach.plan.NadReview;

import io.netattach.cni.Finding;
import io.netattach.cni.Severity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The NAD corpus: every file under {@code src/test/resources/nad-corpus/} is one case with the exact
 * findings it must produce, as the NAD webhook and {@code lint} report them ({@link NadReview}: the
 * validator, the injection annotations, the network plan in its own chain). A case holds one of
 * <ul>
 *   <li>{@code nad}: a whole NetworkAttachmentDefinition object;</li>
 *   <li>{@code config}: a CNI config string, wrapped into a NAD named {@code name} (default "net");</li>
 *   <li>{@code cni}: a bare CNI config file's text (validated as {@code lint} does for .conflist files),</li>
 * </ul>
 * optionally {@code options: {upstreamPlugins: true}}, and {@code expect}: a list of
 * {@code {severity, path, message}} (empty for a clean config). Order does not matter.
 */
class CorpusTest {

    static final Path CORPUS = Path.of("src/test/resources/nad-corpus");

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException {
        return cases().stream().map(file -> DynamicTest.dynamicTest(CORPUS.relativize(file).toString(), file.toUri(),
                () -> runCase(file)));
    }

    @Test
    void corpusHasAtLeastSixtyCasesWithValidAndInvalidOnes() throws IOException {
        List<Path> cases = cases();
        assertTrue(cases.size() >= 60, "corpus has " + cases.size() + " cases");
        int clean = 0;
        int withErrors = 0;
        for (Path file : cases) {
            JsonNode expect = Nads.YAML.readTree(file.toFile()).get("expect");
            if (expect != null && expect.isEmpty()) {
                clean++;
            }
            if (expect != null && expect.toString().contains("\"ERROR\"")) {
                withErrors++;
            }
        }
        assertTrue(clean >= 10, clean + " clean cases");
        assertTrue(withErrors >= 30, withErrors + " cases with errors");
    }

    static List<Path> cases() throws IOException {
        try (Stream<Path> files = Files.walk(CORPUS)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    static List<Finding> actual(JsonNode c) {
        JsonNode options = c.path("options");
        NadValidator validator = new NadValidator(new ValidationOptions(
                options.path("upstreamPlugins").asBoolean(false),
                options.path("maxConfigBytes").asInt(ValidationOptions.DEFAULT_MAX_CONFIG_BYTES)));
        if (c.has("cni")) {
            return NadReview.cniConfigFindings(validator, c.get("cni").asText(), ClusterNetworks.NONE);
        }
        // what the NAD webhook and lint report: the validator, the annotations and the plan in its own chain
        if (c.has("config")) {
            ObjectNode nad = Nads.nad(c.path("name").asText("net"), c.get("config").asText());
            return NadReview.findings(validator, nad, "default", ClusterNetworks.NONE, null);
        }
        if (c.has("nad")) {
            return NadReview.findings(validator, c.get("nad"), "default", ClusterNetworks.NONE, null);
        }
        throw new IllegalArgumentException("case has none of nad, config, cni");
    }

    private static void runCase(Path file) throws IOException {
        JsonNode c = Nads.YAML.readTree(file.toFile());
        List<Finding> actual = sorted(actual(c));
        JsonNode expectNode = c.get("expect");
        if (expectNode == null) {
            fail("case has no expect; the validator says:\n" + asYaml(actual));
        }
        List<Finding> expected = new ArrayList<>();
        for (JsonNode e : expectNode) {
            expected.add(new Finding(Severity.valueOf(e.path("severity").asText()), e.path("path").asText(), e.path("message").asText()));
        }
        assertEquals(Nads.lines(sorted(expected)), Nads.lines(actual), file.toString());
    }

    private static List<Finding> sorted(List<Finding> findings) {
        return findings.stream().sorted(Comparator.comparing(Finding::path).thenComparing(Finding::severity)
                .thenComparing(Finding::message)).toList();
    }

    /** The expect block for {@code findings}, as it is written in a case file. */
    static String asYaml(List<Finding> findings) {
        if (findings.isEmpty()) {
            return "expect: []\n";
        }
        StringBuilder sb = new StringBuilder("expect:\n");
        for (Finding f : findings) {
            sb.append("  - severity: ").append(f.severity()).append('\n');
            sb.append("    path: '").append(f.path()).append("'\n");
            sb.append("    message: '").append(f.message().replace("'", "''")).append("'\n");
        }
        return sb.toString();
    }
}
