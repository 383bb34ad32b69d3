package io.netattach.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A named network namespace ({@code /run/netns/NAME}) for tests on the real kernel, created with
 * {@code ip netns add} under a unique name and removed by {@link #close()} (idempotent). Namespaces
 * still open when the JVM exits are removed by a shutdown hook, so nothing leaks even when a test
 * aborts. Root-only: call {@link #assumeRoot()} first (skips with the reason otherwise).
 */
public final class Netns implements AutoCloseable {

    private static final Set<String> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (String name : OPEN) {
                runQuietly(List.of("ip", "netns", "del", name));
            }
        }, "netns-cleanup"));
    }

    private final String name;
    private volatile boolean closed;

    private Netns(String name) {
        this.name = name;
    }

    /** Skips the calling test (JUnit assumption) unless running as root with iproute2 available. */
    public static void assumeRoot() {
        Assumptions.assumeTrue(isRoot(), "skipped: needs root to create network namespaces (running as uid "
                + uid() + ")");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
                        || Files.isExecutable(Path.of("/usr/bin/ip")) || Files.isExecutable(Path.of("/bin/ip")),
                "skipped: iproute2 ('ip') is not installed");
    }

    public static boolean isRoot() {
        return "0".equals(uid());
    }

    private static String uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1];
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }

    /** A unique short suffix (6 hex digits) for names of namespaces, links and files. */
    public static String uniqueSuffix() {
        return String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    }

    /** Creates {@code PREFIX-XXXXXX} with {@code lo} up. */
    public static Netns create(String prefix) {
        String name = prefix + "-" + uniqueSuffix();
        run(List.of("ip", "netns", "add", name));
        Netns ns = new Netns(name);
        OPEN.add(name);
        try {
            ns.ip("link", "set", "lo", "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String name() {
        return name;
    }

    /** The bind-mount path, as CNI_NETNS. */
    public Path path() {
        return Path.of("/run/netns", name);
    }

    public boolean exists() {
        return Files.exists(path());
    }

    /** Runs {@code ip -n NAME ARGS...}; fails with the command's stderr when it exits non-zero. */
    public String ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** Runs {@code ip -n NAME ARGS...}, returning the result whatever the exit code. */
    public Exec ipResult(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        return exec(cmd, null, Map.of());
    }

    /** Runs a command inside this namespace ({@code ip netns exec NAME CMD...}) with stdin and extra env. */
    public Exec execIn(List<String> command, String stdin, Map<String, String> env) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(command);
        return Netns.exec(cmd, stdin, env);
    }

    /** Link names in this namespace (without {@code @peer} suffixes), in index order. */
    public List<String> linkNames() {
        List<String> names = new ArrayList<>();
        for (String line : ip("-o", "link", "show").split("\n")) {
            String[] parts = line.split(": ", 3);
            if (parts.length >= 2) {
                String n = parts[1];
                int at = n.indexOf('@');
                names.add(at >= 0 ? n.substring(0, at) : n);
            }
        }
        return names;
    }

    public boolean hasLink(String link) {
        return ipResult("link", "show", "dev", link).exitCode() == 0;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        runQuietly(List.of("ip", "netns", "del", name));
        OPEN.remove(name);
    }

    @Override
    public String toString() {
        return name;
    }

    /** Result of a finished process. */
    public record Exec(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    public static String run(List<String> command) {
        Exec r = exec(command, null, Map.of());
        if (r.exitCode != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + r.exitCode + "): "
                    + r.stderr.strip() + r.stdout.strip());
        }
        return r.stdout;
    }

    static void runQuietly(List<String> command) {
        try {
            exec(command, null, Map.of());
        } catch (RuntimeException e) {
            // best effort cleanup
        }
    }

    /** Runs a command with optional stdin and extra environment; waits at most 60 s. */
    public static Exec exec(List<String> command, String stdin, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            Thread errReader;
            StringBuilder err = new StringBuilder();
            try (InputStream es = p.getErrorStream()) {
                errReader = Thread.ofVirtual().start(() -> {
                    try {
                        err.append(new String(es.readAllBytes(), StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        // ignore
                    }
                });
                try (var os = p.getOutputStream()) {
                    if (stdin != null) {
                        os.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " timed out");
                }
                errReader.join();
                return new Exec(p.exitValue(), out, err.toString());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }
}
