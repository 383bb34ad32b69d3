package io.netattach.cli;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plan corpus: each {@code src/test/resources/plan/NN-name.yaml} holds the NADs and the pod of one
 * scenario (header: what it shows, the {@code plan} options, whether the kernel test runs it);
 * {@code NN-name.expected} is what {@code plan} must print for it (plan, notes, findings) and its exit
 * status. {@code -Dplan.corpus.write=true} rewrites the expected files (review the diff).
 */
class PlanCorpusTest {

    static final Path DIR = Path.of("src/test/resources/plan");

    record Scenario(Path file, String name, List<String> args, String kernel) {
    }

    static List<Scenario> scenarios() throws IOException {
        List<Scenario> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                String args = header(lines, "# args:");
                String kernel = header(lines, "# kernel:");
                String name = f.getFileName().toString().replace(".yaml", "");
                out.add(new Scenario(f, name, args.isEmpty() ? List.of() : Arrays.asList(args.split("\\s+")), kernel));
            }
        }
        return out;
    }

    private static String header(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key)).findFirst().map(l -> l.substring(key.length()).strip())
                .orElse("");
    }

    record Run(int status, String out, String err) {
    }

    static Run plan(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new PlanCommand().run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run plan(Scenario s, String... more) {
        List<String> args = new ArrayList<>(s.args());
        args.addAll(List.of(more));
        args.addAll(List.of("--nads", s.file().toString(), s.file().toString()));
        return plan(args);
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioPrintsItsExpectedPlanAndFindings() throws IOException {
        List<Scenario> all = scenarios();
        assertTrue(all.size() >= 30, "the corpus has at least 30 scenarios, got " + all.size());
        boolean write = Boolean.getBoolean("plan.corpus.write");
        return all.stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
            Run r = plan(s);
            String actual = r.out() + "exit " + r.status() + "\n";
            Path expected = DIR.resolve(s.name() + ".expected");
            if (write) {
                Files.writeString(expected, actual);
            }
            assertTrue(Files.exists(expected), "missing " + expected);
            assertEquals(Files.readString(expected), actual, s.name() + "\n" + r.err());
        }));
    }

    @TestFactory
    Stream<DynamicTest> jsonFormatCarriesTheSameFindings() throws IOException {
        return scenarios().stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
            Run text = plan(s);
            Run json = plan(s, "--format", "json");
            assertEquals(text.status(), json.status());
            io.netattach.cni.JsonValue parsed = io.netattach.cni.Json.parse(json.out());
            long findings = text.out().lines().filter(l -> l.startsWith("ERROR ") || l.startsWith("WARNING ")).count();
            long jsonFindings = ((io.netattach.cni.JsonValue.JsonArray) parsed).elements().stream()
                    .mapToLong(o -> ((io.netattach.cni.JsonValue.JsonArray) ((io.netattach.cni.JsonValue.JsonObject) o)
                            .get("findings").orElseThrow()).elements().size()).sum();
            assertEquals(findings, jsonFindings, json.out());
        }));
    }
}
