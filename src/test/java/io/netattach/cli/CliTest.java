package io.netattach.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
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

/** The command line as a whole: dispatch, help, usage errors, option syntax, serve options, completion. */
class CliTest {

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err, List<Map<String, String>> served) {
    }

    /** {@code netattach args...} with a server that records the properties it was started with. */
    static Run netattach(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<Map<String, String>> served = new ArrayList<>();
        int exit = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                properties -> {
                    served.add(properties);
                    return 42;
                });
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), served);
    }

    static List<String> commands() {
        return Cli.commandNames();
    }

    @Test
    void theCommandsOfTheDesignAreRegistered() {
        assertTrue(commands().containsAll(List.of("serve", "lint", "inject", "install-cni", "demo", "completion")), commands().toString());
    }

    @Test
    void anUnknownCommandPrintsTheUsageAndExits2WithoutServing() {
        Run run = netattach("frobnicate");
        assertEquals(2, run.exit());
        assertEquals(List.of(), run.served(), "an unknown command must not boot the server");
        assertTrue(run.err().startsWith("netattach: unknown command 'frobnicate'\n"), run.err());
        assertTrue(run.err().contains("usage: netattach [-h] [COMMAND]"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void anUnknownTopLevelOptionIsAUsageError() {
        Run run = netattach("--frobnicate");
        assertEquals(2, run.exit());
        assertTrue(run.err().startsWith("netattach: Unknown option: '--frobnicate'"), run.err());
        assertEquals(List.of(), run.served());
    }

    @Test
    void noCommandAndServeBootTheServerWithoutOverrides() {
        Run none = netattach();
        assertEquals(42, none.exit());
        assertEquals(List.of(Map.of()), none.served());
        Run serve = netattach("serve");
        assertEquals(42, serve.exit());
        assertEquals(List.of(Map.of()), serve.served());
    }

    @Test
    void aPlainServeStartsTheServerWithoutPicocliAndReportsAnInternalErrorLikePicocli() {
        assertTrue(Cli.plainServe(new String[0]));
        assertTrue(Cli.plainServe(new String[] {"serve"}));
        for (String[] other : List.of(new String[] {"serve", "--nads", "x"}, new String[] {"serve", "--help"},
                new String[] {"serve", "extra"}, new String[] {"--help"}, new String[] {"lint"}, new String[] {"Serve"})) {
            assertFalse(Cli.plainServe(other), String.join(" ", other));
        }
        for (String[] args : List.of(new String[0], new String[] {"serve"}, new String[] {"serve", "--nads", "deploy/examples"})) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            int exit = Cli.run(args, sink, new PrintStream(err, true, StandardCharsets.UTF_8), properties -> {
                throw new IllegalStateException("boom");
            });
            assertEquals(1, exit, String.join(" ", args));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains(": internal error: java.lang.IllegalStateException: boom"),
                    err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void theServerStartsWithACommandLineOfServeAloneAndEverythingElseGetsTheWholeTree() {
        assertTrue(Cli.servesOnly(new String[0]));
        assertTrue(Cli.servesOnly(new String[] {"serve", "--nads", "x"}));
        for (String[] other : List.of(new String[] {"lint"}, new String[] {"--help"}, new String[] {"help", "serve"},
                new String[] {"completion"}, new String[] {"frobnicate"})) {
            assertFalse(Cli.servesOnly(other), String.join(" ", other));
        }
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(java.util.Set.of("serve", "help"), Cli.commandLine(sink, sink, p -> 0, null, true).getSubcommands().keySet());
        assertTrue(Cli.commandLine(sink, sink, p -> 0, null, false).getSubcommands().keySet()
                .containsAll(List.of("serve", "lint", "inject", "plan", "help")));
        // what a user sees of serve is the same either way: help, usage errors
        Run usage = netattach("serve", "--no-such-option");
        assertTrue(usage.err().contains("usage: netattach serve"), usage.err());
        assertEquals(netattach("help", "serve").out(), netattach("serve", "--help").out());
    }

    @Test
    void serveNadsSetsTheAbsoluteDirectoryAndTheDirectoryCatalog() {
        String absolute = Path.of("deploy/examples").toAbsolutePath().toString();
        for (String[] args : List.of(new String[] {"serve", "--nads", "deploy/examples"}, new String[] {"serve", "--nads=deploy/examples"},
                new String[] {"serve", "--nads", "deploy/../deploy/examples/"})) {
            Run run = netattach(args);
            assertEquals(42, run.exit(), run.err());
            assertEquals(1, run.served().size());
            assertEquals(absolute, run.served().getFirst().get("netattach.catalog.directory"), String.join(" ", args));
            if (System.getenv("NETATTACH_CATALOG_MODE") == null && System.getProperty("netattach.catalog.mode") == null) {
                assertEquals("directory", run.served().getFirst().get("netattach.catalog.mode"));
            }
        }
    }

    @Test
    void serveNadsOnAMissingDirectoryIsAClearUsageError() throws IOException {
        Run missing = netattach("serve", "--nads", "no/such/nads");
        assertEquals(2, missing.exit());
        assertEquals(List.of(), missing.served());
        assertTrue(missing.err().startsWith("netattach serve: --nads no/such/nads: no such directory ("
                + Path.of("no/such/nads").toAbsolutePath() + ")\n"), missing.err());
        Path file = Files.writeString(tmp.resolve("file.yaml"), "kind: X\n");
        Run notADirectory = netattach("serve", "--nads", file.toString());
        assertEquals(2, notADirectory.exit());
        assertTrue(notADirectory.err().startsWith("netattach serve: --nads " + file + ": not a directory\n"), notADirectory.err());
        assertEquals(2, netattach("serve", "--nads").exit(), "--nads without a value");
        assertEquals(2, netattach("serve", "extra").exit(), "serve takes no positional argument");
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandHasHelpExit0(String command) {
        Run help = netattach(command, "--help");
        assertEquals(0, help.exit(), help.err());
        assertTrue(help.out().startsWith("usage: netattach " + command), help.out());
        assertTrue(help.out().contains("-h, --help"), help.out());
        Run viaHelp = netattach("help", command);
        assertEquals(0, viaHelp.exit());
        assertEquals(help.out(), viaHelp.out());
        assertEquals(List.of(), help.served());
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandExits2OnAnUnknownOption(String command) {
        Run run = netattach(command, "--no-such-option");
        assertEquals(2, run.exit(), run.err());
        // (a missing required parameter may be reported first: lint, inject)
        assertTrue(run.err().startsWith("netattach " + command + ": "), run.err());
        assertTrue(run.err().contains("usage: netattach " + command), run.err());
        assertEquals(List.of(), run.served());
    }

    @Test
    void topLevelHelp() {
        for (String flag : List.of("--help", "-h", "help")) {
            Run run = netattach(flag);
            assertEquals(0, run.exit());
            assertTrue(run.out().startsWith("usage: netattach [-h] [COMMAND]"), run.out());
            for (String command : commands()) {
                assertTrue(run.out().contains("\n  " + command + " "), command + " listed: " + run.out());
            }
        }
    }

    @Test
    void optionValuesWithEqualsOrSpaceAreTheSame() {
        Run spaced = netattach("lint", "--format", "json", "deploy/examples");
        Run equals = netattach("lint", "--format=json", "deploy/examples");
        assertEquals(0, spaced.exit(), spaced.err());
        assertEquals(spaced.out(), equals.out());
        assertEquals(spaced.err(), equals.err());
        assertTrue(spaced.out().startsWith("["), spaced.out());
    }

    @Test
    void completionIsABashScriptCompletingCommandsAndOptions() throws Exception {
        Run run = netattach("completion");
        assertEquals(0, run.exit(), run.err());
        String script = run.out();
        assertTrue(script.contains("complete -F _complete_netattach"), script);
        Path file = Files.writeString(tmp.resolve("netattach-completion.bash"), script);
        assertEquals("inject install-cni", complete(file, "netattach in"));
        assertEquals("--nads --namespace", complete(file, "netattach inject --na"));
        assertEquals("--skip-existing", complete(file, "netattach install-cni --sk"));
        assertEquals("json text", complete(file, "netattach lint --format "));
    }

    /** What bash completes for the command line {@code line} (its last word) with the script. */
    private static String complete(Path script, String line) throws Exception {
        String[] words = line.split(" ", -1);
        StringBuilder array = new StringBuilder();
        for (String w : words) {
            array.append('\'').append(w).append("' ");
        }
        // compopt only works while bash completes interactively
        String program = "compopt() { :; }\nsource " + script + "\nCOMP_WORDS=(" + array + ")\nCOMP_CWORD=" + (words.length - 1)
                + "\nCOMP_LINE='" + line + "'\nCOMP_POINT=${#COMP_LINE}\n_complete_netattach\nprintf '%s\\n' \"${COMPREPLY[@]}\" | sort | tr '\\n' ' '\n";
        Process p = new ProcessBuilder("bash", "-c", program).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        return output.strip();
    }

    @Test
    void aUsageErrorNamesTheCommandOnceAndPrintsNothingOnStdout() {
        Run run = netattach("lint");
        assertEquals(2, run.exit());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("netattach lint: Missing required parameter: 'PATH'\n"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }
}
