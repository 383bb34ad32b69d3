package io.netattach.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The copy-paste examples of README.md and docs/cli.md, run against the packaged jar: the input is
 * read from the page, and the output the page shows is what the command prints.
 */
class DocsExamplesIT {

    private static final Path ROOT = Manifests.ROOT;
    private static final Path JAR = ROOT.resolve("target/quarkus-app/quarkus-run.jar");

    private record Run(int exit, List<String> out, List<String> err) {
    }

    @Test
    void theLintExampleOfTheCliPagePrintsWhatThePageShows() throws Exception {
        String page = Files.readString(ROOT.resolve("docs/cli.md"));
        String stdin = between(page, "quarkus-run.jar lint - deploy/examples\n", "\nNAD\n");
        List<String> shown = lines(between(page, "echo \"exit $?\"\n```\n\n```\n", "\n```"));

        Run run = netattach(stdin, "lint", "-", "deploy/examples");

        List<String> findings = shown.stream().filter(l -> l.startsWith("-:")).toList();
        assertTrue(findings.size() >= 3, "the page shows the findings: " + shown);
        assertEquals(findings, run.out());
        assertEquals(shown.stream().filter(l -> l.startsWith("lint: ")).toList(), run.err());
        assertEquals(shown.getLast(), "exit " + run.exit());
    }

    @Test
    void theLintExampleOfTheReadmePrintsWhatTheReadmeShows() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String stdin = between(readme, "quarkus-run.jar lint - <<'NAD'\n", "\nNAD\n");
        List<String> shown = comments(between(readme, stdin + "\nNAD\n", "```"));

        Run run = netattach(stdin, "lint", "-");

        assertEquals(shown, run.out());
        assertEquals(1, run.exit());
    }

    @Test
    void theInjectExampleOfTheCliPageAddsWhatThePageShows() throws Exception {
        String page = Files.readString(ROOT.resolve("docs/cli.md"));
        String stdin = between(page, "inject --nads deploy/examples - <<'POD'\n", "\nPOD\n");
        List<String> shown = comments(between(page, stdin + "\nPOD\n", "```"));

        Run run = netattach(stdin, "inject", "--nads", "deploy/examples", "-");

        assertEquals(0, run.exit(), String.join("\n", run.err()));
        assertTrue(shown.size() >= 3, "the page shows the injected annotations: " + shown);
        for (String line : shown) {
            assertTrue(run.out().contains(line), "inject prints \"" + line + "\":\n" + String.join("\n", run.out()));
        }
    }

    @Test
    void theSeedExamplesLintWithoutErrorsAndWithTheUpstreamWarningTheValidationPageAnnounces() throws Exception {
        Run clean = netattach("", "lint", "deploy/examples");
        assertEquals(0, clean.exit(), String.join("\n", clean.out()));

        Run upstream = netattach("", "lint", "--upstream-plugins", "deploy/examples");
        assertEquals(0, upstream.exit());
        assertTrue(upstream.out().stream().anyMatch(l -> l.contains("/vlan: vlan 100 is ignored by the upstream macvlan plugin")),
                String.join("\n", upstream.out()));
    }

    // --------------------------------------------------------------------------------------------

    private static Run netattach(String stdin, String... args) throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(JAR), JAR + " is built by package, before the integration tests");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(Arrays.asList(args));
        Path out = Files.createTempFile("docs-example", ".out");
        Path err = Files.createTempFile("docs-example", ".err");
        try {
            Process p = new ProcessBuilder(command).directory(ROOT.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "netattach " + String.join(" ", args) + " did not finish");
            return new Run(p.exitValue(), lines(Files.readString(out)), lines(Files.readString(err)));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The text between the first {@code start} and the next {@code end}. */
    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertTrue(from >= 0, "the page has \"" + start.strip() + "\"");
        from += start.length();
        int to = text.indexOf(end, from);
        assertTrue(to >= 0, "the page has \"" + end.strip() + "\" after \"" + start.strip() + "\"");
        return text.substring(from, to);
    }

    /** The {@code # } comment lines that show the output in a shell example, without the {@code # }. */
    private static List<String> comments(String block) {
        return lines(block).stream().filter(l -> l.startsWith("# ")).map(l -> l.substring(2)).toList();
    }

    private static List<String> lines(String text) {
        return text.lines().filter(l -> !l.isBlank()).toList();
    }
}
