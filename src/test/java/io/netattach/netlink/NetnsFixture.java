package io.netattach.netlink;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: named network namespaces with unique names ({@code PREFIX-RANDOM}) created with
 * {@code ip netns add} and deleted by {@link #close()} (use try-with-resources or @AfterEach), plus
 * a helper to run {@code ip} commands. Root-only: {@link #requireRoot()} skips the test otherwise.
 */
public final class NetnsFixture implements AutoCloseable {
    private final List<String> namespaces = new ArrayList<>();
    private final String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));

    /** Skips the calling test with a printed reason when not running as root or without iproute2. */
    public static void requireRoot() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            System.out.println("SKIPPED: needs root for network namespaces (running as "
                    + System.getProperty("user.name") + ")");
        }
        Assumptions.assumeTrue(root, "needs root for network namespaces");
        boolean ip = new java.io.File("/usr/sbin/ip").canExecute() || new java.io.File("/sbin/ip").canExecute()
                || new java.io.File("/usr/bin/ip").canExecute();
        if (!ip) {
            System.out.println("SKIPPED: needs iproute2 (ip)");
        }
        Assumptions.assumeTrue(ip, "needs iproute2");
    }

    /** The random suffix shared by the names of this fixture (keep link names within 15 chars). */
    public String suffix() {
        return suffix;
    }

    /** Creates namespace {@code prefix-SUFFIX} and returns its name. */
    public String addNetns(String prefix) {
        String name = prefix + "-" + suffix;
        ip("netns", "add", name);
        namespaces.add(name);
        ip("-n", name, "link", "set", "lo", "up");
        return name;
    }

    public static String path(String netnsName) {
        return "/var/run/netns/" + netnsName;
    }

    /** Runs {@code ip ARGS...}; fails the test on a non-zero exit; returns stdout. */
    public static String ip(String... args) {
        Run r = run(args);
        if (r.exit != 0) {
            throw new AssertionError("ip " + String.join(" ", args) + " failed (" + r.exit + "): " + r.err);
        }
        return r.out;
    }

    /** Result of a command. */
    public record Run(int exit, String out, String err) {
    }

    /** Runs {@code ip ARGS...} and returns exit code and output without failing. */
    public static Run run(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        return exec(cmd);
    }

    public static Run exec(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timeout: " + cmd);
            }
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        for (String ns : namespaces) {
            run("netns", "del", ns);
        }
        namespaces.clear();
    }
}
