package io.netattach.cli;

import io.netattach.cli.InstallCniTestSupport.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static io.netattach.cli.InstallCniTestSupport.exec;
import static io.netattach.cli.InstallCniTestSupport.isRoot;
import static io.netattach.cli.InstallCniTestSupport.run;
import static io.netattach.cli.InstallCniTestSupport.sourceWithPlugins;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A target directory that cannot be written fails the install with exit 1 and a message naming it. */
class InstallCniUnwritableTargetTest {

    @TempDir
    Path tmp;

    @Test
    void readOnlyMountedTargetFailsNamingTheDirectory() throws IOException {
        assumeTrue(isRoot(), "skipped: a read-only bind mount needs root (CI runs as root)");
        Path src = sourceWithPlugins(tmp.resolve("src"), "v1");
        Path dst = Files.createDirectories(tmp.resolve("ro-target"));
        Files.writeString(dst.resolve("bridge"), "host plugin");
        List<String> output = new ArrayList<>();
        assumeTrue(exec(output, "mount", "--bind", dst.toString(), dst.toString()) == 0,
                "skipped: bind mount not permitted here: " + output);
        try {
            assertEquals(0, exec(output, "mount", "-o", "remount,ro,bind", dst.toString()), "remount read-only: " + output);

            Result r = run("--source", src.toString(), "--target", dst.toString());

            assertEquals(1, r.exit());
            assertEquals("install-cni: cannot write to target directory " + dst + ": Read-only file system\n", r.err());
            assertEquals("", r.out());
        } finally {
            exec(null, "umount", dst.toString());
        }
        try (var files = Files.list(dst)) {
            assertEquals(List.of("bridge"), files.map(p -> p.getFileName().toString()).toList(), "nothing written");
        }
    }

    @Test
    void immutableTargetFailsNamingTheDirectory() throws IOException {
        assumeTrue(isRoot(), "skipped: chattr +i needs root (CI runs as root)");
        Path src = sourceWithPlugins(tmp.resolve("src"), "v1");
        Path dst = Files.createDirectories(tmp.resolve("immutable-target"));
        List<String> output = new ArrayList<>();
        assumeTrue(exec(output, "chattr", "+i", dst.toString()) == 0,
                "skipped: chattr +i not supported on this file system: " + output);
        try {
            Result r = run("--source", src.toString(), "--target", dst.toString());

            assertEquals(1, r.exit());
            assertEquals("install-cni: cannot write to target directory " + dst + ": Operation not permitted\n", r.err());
        } finally {
            exec(null, "chattr", "-i", dst.toString());
        }
    }

    @Test
    void permissionDeniedForANonRootUser() throws IOException {
        assumeTrue(!isRoot(), "skipped: root ignores directory permissions (the read-only mount test covers root)");
        Path src = sourceWithPlugins(tmp.resolve("src"), "v1");
        Path dst = Files.createDirectories(tmp.resolve("locked"));
        Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Result r = run("--source", src.toString(), "--target", dst.toString());
            assertEquals(1, r.exit());
            assertEquals("install-cni: cannot write to target directory " + dst + ": permission denied\n", r.err());
        } finally {
            Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void targetUnderAReadOnlyMountCannotBeCreated() throws IOException {
        assumeTrue(isRoot(), "skipped: a read-only bind mount needs root (CI runs as root)");
        Path src = sourceWithPlugins(tmp.resolve("src"), "v1");
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        List<String> output = new ArrayList<>();
        assumeTrue(exec(output, "mount", "--bind", ro.toString(), ro.toString()) == 0,
                "skipped: bind mount not permitted here: " + output);
        try {
            assertEquals(0, exec(output, "mount", "-o", "remount,ro,bind", ro.toString()), "remount read-only: " + output);
            Path dst = ro.resolve("opt/cni/bin");

            Result r = run("--source", src.toString(), "--target", dst.toString());

            assertEquals(1, r.exit());
            assertTrue(r.err().startsWith("install-cni: cannot create target directory " + dst + ": "), r.err());
        } finally {
            exec(null, "umount", ro.toString());
        }
    }
}
