package io.netattach.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A finished child process: exit code and both outputs. */
record Exec(List<String> command, int code, String out, String err) {

    boolean ok() {
        return code == 0;
    }

    /** Everything the process printed, for assertion messages. */
    String output() {
        return "$ " + String.join(" ", command) + " (exit " + code + ")\n" + out + err;
    }

    static Exec run(Path dir, Map<String, String> env, String stdin, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Exec(command, -1, out.getNow(""), "timed out after 120 s\n");
            }
            return new Exec(command, p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            return new Exec(command, -1, "", "cannot run: " + e.getMessage() + "\n");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Exec run(String... command) {
        return run(Path.of("").toAbsolutePath(), Map.of(), null, List.of(command));
    }

    static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Thread::startVirtualThread);
    }

    static List<String> list(String first, String... rest) {
        List<String> l = new ArrayList<>();
        l.add(first);
        l.addAll(List.of(rest));
        return l;
    }
}
