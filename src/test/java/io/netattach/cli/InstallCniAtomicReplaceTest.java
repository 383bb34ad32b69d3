package io.netattach.cli;

import io.netattach.cli.InstallCniTestSupport.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static io.netattach.cli.InstallCniTestSupport.dotFiles;
import static io.netattach.cli.InstallCniTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * While a background shell executes the installed plugin in a tight loop (as a kubelet running
 * CNI ADDs would), install-cni replaces it again and again with a different binary. With atomic
 * replacement every execution runs one complete version: no "Text file busy" on our side, and no
 * "Exec format error", missing file or crash on the runner's side.
 */
class InstallCniAtomicReplaceTest {

    private static final int ROUNDS = 60;
    /** Padding appended to each ELF so that a non-atomic write would have a wide window to be caught in. */
    private static final int PADDING = 4 << 20;

    @TempDir
    Path tmp;

    @Test
    void replacingWhileTheOldBinaryRunsInALoopNeverExposesATornOrBusyFile() throws Exception {
        Path trueBin = Path.of("/bin/true");
        Path falseBin = Path.of("/bin/false");
        Path bash = Path.of("/bin/bash");
        assumeTrue(Files.isExecutable(trueBin) && Files.isExecutable(falseBin) && Files.isExecutable(bash),
                "skipped: needs /bin/true, /bin/false and /bin/bash");

        // Version A exits 0, version B exits 1; both are padded ELF executables of a few MiB.
        Path srcA = padded(trueBin, Files.createDirectories(tmp.resolve("a")).resolve("macvlan"));
        Path srcB = padded(falseBin, Files.createDirectories(tmp.resolve("b")).resolve("macvlan"));
        Path dst = Files.createDirectories(tmp.resolve("host-cni-bin"));
        assertEquals(0, run("--source", srcA.getParent().toString(), "--target", dst.toString()).exit());

        Path rcLog = tmp.resolve("rc.log");
        Path errLog = tmp.resolve("runner.err");
        Path stop = tmp.resolve("stop");
        Path runner = tmp.resolve("runner.sh");
        Files.writeString(runner, """
                #!/bin/bash
                # Execute the plugin until told to stop; log each exit code.
                while [ ! -e "$3" ]; do
                  "$1"
                  echo $? >> "$2"
                done
                """);
        Process loop = new ProcessBuilder(bash.toString(), runner.toString(), dst.resolve("macvlan").toString(),
                rcLog.toString(), stop.toString())
                .redirectError(errLog.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            waitForLines(rcLog, 5);
            for (int i = 0; i < ROUNDS; i++) {
                Path from = (i % 2 == 0 ? srcB : srcA).getParent();
                Result r = run("--source", from.toString(), "--target", dst.toString());
                assertEquals(0, r.exit(), "round " + i + ": " + r.err());
                assertTrue(r.out().contains("install-cni: updated macvlan"), "round " + i + ": " + r.out());
            }
        } finally {
            Files.writeString(stop, "");
            if (!loop.waitFor(30, TimeUnit.SECONDS)) {
                loop.destroyForcibly();
            }
        }

        String runnerErrors = Files.readString(errLog);
        assertEquals("", runnerErrors, "the runner saw a busy, torn or missing executable");
        Map<String, Integer> exitCodes = new TreeMap<>();
        for (String line : Files.readAllLines(rcLog)) {
            exitCodes.merge(line.trim(), 1, Integer::sum);
        }
        assertEquals(List.of("0", "1"), List.copyOf(exitCodes.keySet()),
                "every execution ran a complete version A (exit 0) or B (exit 1): " + exitCodes);
        int executions = exitCodes.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(executions >= ROUNDS, "the runner executed the plugin " + executions + " times during " + ROUNDS + " replacements");
        assertEquals(List.of(), dotFiles(dst), "no temporary file is left behind");
        System.out.println("atomic replace: " + ROUNDS + " replacements while the plugin ran " + executions + " times " + exitCodes);
    }

    private static Path padded(Path elf, Path to) throws IOException {
        Files.copy(elf, to);
        try (OutputStream out = Files.newOutputStream(to, StandardOpenOption.APPEND)) {
            out.write(new byte[PADDING]);
        }
        to.toFile().setExecutable(true, false);
        return to;
    }

    private static void waitForLines(Path file, int lines) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readAllLines(file).size() >= lines) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the runner did not start executing the plugin");
    }
}
