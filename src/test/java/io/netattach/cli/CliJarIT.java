package io.netattach.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged entry point ({@code java -jar target/quarkus-app/quarkus-run.jar}) as a process: an older
 * JDK gets one line, an unknown command the usage and exit 2 without booting the server, the CLI
 * commands run, and plugin mode never loads picocli. Runs in {@code verify} (failsafe), after packaging.
 */
class CliJarIT {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    /** An older JDK to try (the machine's default java); -Dnetattach.old-java overrides. */
    static final Path OLD_JAVA = Path.of(System.getProperty("netattach.old-java", "/usr/bin/java"));
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    record Exec(int exit, String out, String err) {
    }

    static Exec exec(Map<String, String> env, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("netattach-it-", ".out");
        Path err = Files.createTempFile("netattach-it-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not exit within 120 s: " + Files.readString(err));
            }
            return new Exec(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static int feature(Path java) throws IOException, InterruptedException {
        Exec version = exec(Map.of(), java.toString(), "-XshowSettings:properties", "-version");
        for (String line : version.err().lines().toList()) {
            String t = line.strip();
            if (t.startsWith("java.specification.version = ")) {
                return Integer.parseInt(t.substring("java.specification.version = ".length()).strip());
            }
        }
        throw new AssertionError("no java.specification.version from " + java + ": " + version.err());
    }

    @Test
    void anOlderJdkPrintsOneLineSayingJdk25IsNeeded() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(OLD_JAVA), OLD_JAVA + " is not there");
        int feature = feature(OLD_JAVA);
        Assumptions.assumeTrue(feature < 25, OLD_JAVA + " is Java " + feature + ", not older than 25");
        for (List<String> args : List.of(List.<String>of(), List.of("lint", "deploy/examples"), List.of("serve"))) {
            List<String> command = new ArrayList<>(List.of(OLD_JAVA.toString(), "-jar", JAR.toString()));
            command.addAll(args);
            Exec run = exec(Map.of(), command.toArray(String[]::new));
            assertEquals(1, run.exit(), run.err());
            assertEquals(1, run.err().lines().count(), "one line, no stack trace: " + run.err());
            assertTrue(run.err().startsWith("netattach needs Java 25 or newer (JDK 25), but runs on Java " + feature), run.err());
            assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.err());
            assertEquals("", run.out());
        }
    }

    @Test
    void anUnknownCommandPrintsTheUsageAndExits2WithoutBootingTheServer() throws Exception {
        Exec run = exec(Map.of(), JAVA, "-jar", JAR.toString(), "frobnicate");
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().startsWith("netattach: unknown command 'frobnicate'\n"), run.err());
        assertTrue(run.err().contains("usage: netattach [-h] [COMMAND]"), run.err());
        assertFalse(run.err().contains("Quarkus") || run.out().contains("Quarkus") || run.err().contains("Listening on"),
                "the server did not boot: " + run.out() + run.err());
    }

    @Test
    void theCliCommandsRunFromTheJar() throws Exception {
        Exec lint = exec(Map.of(), JAVA, "-jar", JAR.toString(), "lint", "--format=json", "deploy/examples");
        assertEquals(0, lint.exit(), lint.err());
        assertEquals("[ ]", lint.out().strip());
        assertEquals("lint: 6 files, 4 NetworkAttachmentDefinitions, 3 other documents skipped: 0 errors, 0 warnings\n", lint.err());

        Exec greedy = exec(Map.of(), JAVA, "-jar", JAR.toString(), "inject", "--nads", "deploy/examples/management.yaml",
                "deploy/examples/sip.yaml", "deploy/examples/pod.yaml");
        assertEquals(2, greedy.exit(), "one PATH per --nads: " + greedy.err());
        assertTrue(greedy.err().startsWith("netattach inject: Unmatched argument at index 4: 'deploy/examples/pod.yaml'"), greedy.err());

        Exec completion = exec(Map.of(), JAVA, "-jar", JAR.toString(), "completion");
        assertEquals(0, completion.exit(), completion.err());
        assertTrue(completion.out().contains("complete -F _complete_netattach"), completion.out());
    }

    @Test
    void pluginModeDoesNotLoadPicocliNorQuarkus() throws Exception {
        Exec run = exec(Map.of("CNI_COMMAND", "VERSION"), JAVA, "-Dnetattach.plugin=static", "-Xlog:class+load=info",
                "-jar", JAR.toString());
        assertEquals(0, run.exit(), run.err());
        String json = run.out().lines().filter(l -> !l.contains("[class,load]")).reduce("", (a, b) -> a + b + "\n");
        assertTrue(json.contains("\"supportedVersions\""), json);
        List<String> loaded = run.out().lines().filter(l -> l.contains("[class,load]")).toList();
        assertTrue(loaded.size() > 100, "class loading was logged: " + loaded.size());
        assertEquals(List.of(), loaded.stream().filter(l -> l.contains(" picocli.")).toList(), "picocli stays out of plugin mode");
        assertEquals(List.of(), loaded.stream().filter(l -> l.contains(" io.netattach.cli.") || l.contains(" io.quarkus.runtime.Quarkus ")).toList());
    }

    @Test
    void serveNadsOnAMissingDirectoryExits2WithoutBooting() throws Exception {
        Exec run = exec(Map.of(), JAVA, "-jar", JAR.toString(), "serve", "--nads", "no/such/nads");
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().startsWith("netattach serve: --nads no/such/nads: no such directory ("
                + Path.of("no/such/nads").toAbsolutePath() + ")"), run.err());
    }

    @Test
    void serveNadsReadsTheRelativeDirectoryAndLogsItAbsolute() throws Exception {
        Path log = Files.createTempFile("netattach-serve-", ".log");
        Process server = null;
        try {
            server = new ProcessBuilder(JAVA, "-Dquarkus.http.ssl-port=" + freePort(), "-Dquarkus.http.port=" + freePort(),
                    "-jar", JAR.toString(), "serve", "--nads=deploy/examples")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            String absolute = Path.of("deploy/examples").toAbsolutePath().toString();
            String expected = "loaded 4 NetworkAttachmentDefinitions from " + absolute;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.readString(log).contains(expected) && server.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            String text = Files.readString(log);
            assertTrue(text.contains("NAD catalog: directory " + absolute + " (standalone"), text);
            assertTrue(text.contains(expected), text);
        } finally {
            if (server != null) {
                server.destroy();
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
            Files.deleteIfExists(log);
        }
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
