package io.netattach.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code install-cni} in-process and collects its output; small file helpers. */
final class InstallCniTestSupport {

    record Result(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    private InstallCniTestSupport() {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new InstallCniCommand().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A source directory with the three plugin names, each a small shell script that prints its name and version. */
    static Path sourceWithPlugins(Path dir, String version) throws IOException {
        Files.createDirectories(dir);
        for (String name : List.of("macvlan", "route-override", "static")) {
            writeExecutable(dir.resolve(name), "#!/bin/sh\necho " + name + " " + version + "\n");
        }
        return dir;
    }

    static void writeExecutable(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    /** Runs a command, returns its exit code (stdout and stderr discarded unless {@code output} is given). */
    static int exec(List<String> output, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            if (output != null) {
                output.addAll(text.lines().toList());
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static List<String> dotFiles(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).forEach(names::add);
        }
        return names;
    }
}
