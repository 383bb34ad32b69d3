package io.netattach.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/netattach}, the one launch configuration: run with a stand-in {@code java} that prints
 * the command line it got, it passes the JVM options, the AOT cache when the package has one,
 * {@code JAVA_OPTS} after its own options, and the command's arguments.
 */
class LauncherTest {

    private static final Path LAUNCHER = Manifests.ROOT.resolve("bin/netattach");

    @TempDir
    Path tmp;

    /** Runs the launcher with JAVA_HOME pointing at a fake java; returns its arguments, one per line, then MALLOC_ARENA_MAX. */
    private List<String> launch(Path app, Map<String, String> env, String... args) throws Exception {
        Path javaHome = tmp.resolve("jdk");
        Files.createDirectories(javaHome.resolve("bin"));
        Path java = javaHome.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\necho \"MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("JAVA_OPTS");
        pb.environment().remove("NETATTACH_AOT");
        pb.environment().remove("MALLOC_ARENA_MAX");
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().put("NETATTACH_APP", app.toString());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }

    private Path app(boolean withCache) throws IOException {
        Path app = tmp.resolve("quarkus-app");
        Files.createDirectories(app);
        Files.writeString(app.resolve("quarkus-run.jar"), "");
        if (withCache) {
            Files.writeString(app.resolve("app.aot"), "cache");
        }
        return app;
    }

    @Test
    void jvmOptionsHeapFromTheMemoryLimitAotCacheThenTheJarAndTheCommand() throws Exception {
        Path app = app(true);
        List<String> argv = launch(app, Map.of(), "lint", "deploy/examples");
        int jar = argv.indexOf("-jar");
        List<String> jvm = argv.subList(0, jar);
        assertTrue(jvm.containsAll(List.of("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=50", "-XX:+UseCompactObjectHeaders",
                "-XX:TrimNativeHeapInterval=5000", "-XX:AOTCache=" + app.resolve("app.aot"))), jvm.toString());
        assertFalse(jvm.stream().anyMatch(o -> o.startsWith("-Xmx")), "no fixed heap ceiling: " + jvm);
        assertEquals(List.of("-jar", app.resolve("quarkus-run.jar").toString(), "lint", "deploy/examples", "MALLOC_ARENA_MAX=2"),
                argv.subList(jar, argv.size()));
    }

    @Test
    void withoutACacheOrWithAotOffItStartsWithoutOne() throws Exception {
        assertFalse(launch(app(false), Map.of(), "serve").stream().anyMatch(a -> a.startsWith("-XX:AOTCache")));
        assertFalse(launch(app(true), Map.of("NETATTACH_AOT", "off"), "serve").stream().anyMatch(a -> a.startsWith("-XX:AOTCache")));
    }

    @Test
    void recordDeletesTheOldCacheAndWritesANewOne() throws Exception {
        Path app = app(true);
        List<String> argv = launch(app, Map.of("NETATTACH_AOT", "record"), "serve");
        assertTrue(argv.contains("-XX:AOTCacheOutput=" + app.resolve("app.aot")), argv.toString());
        assertFalse(argv.stream().anyMatch(a -> a.startsWith("-XX:AOTCache=")), argv.toString());
        assertFalse(Files.exists(app.resolve("app.aot")), "a stale cache must never survive a training run");
    }

    @Test
    void javaOptsComeAfterTheLaunchersOptionsSoTheyOverrideThem() throws Exception {
        List<String> argv = launch(app(false), Map.of("JAVA_OPTS", "-XX:MaxRAMPercentage=25 -Dx=y"), "serve");
        assertTrue(argv.indexOf("-XX:MaxRAMPercentage=25") > argv.indexOf("-XX:MaxRAMPercentage=50"), argv.toString());
        assertTrue(argv.indexOf("-Dx=y") < argv.indexOf("-jar"), argv.toString());
    }
}
