package io.netattach.cli;

import io.netattach.cli.InstallCniTestSupport.Result;
import io.netattach.cli.install.CniInstaller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import static io.netattach.cli.InstallCniTestSupport.dotFiles;
import static io.netattach.cli.InstallCniTestSupport.run;
import static io.netattach.cli.InstallCniTestSupport.sourceWithPlugins;
import static io.netattach.cli.InstallCniTestSupport.writeExecutable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstallCniCommandTest {

    @TempDir
    Path tmp;

    @Test
    void installsEveryPluginWithMode0755AndReportsIt() throws IOException {
        Path src = sourceWithPlugins(tmp.resolve("src"), "v1");
        Path dst = tmp.resolve("host/opt/cni/bin");

        Result r = run("--source", src.toString(), "--target", dst.toString());

        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of(
                "install-cni: installed macvlan -> " + dst.resolve("macvlan") + " (sha256 " + shortSha(src.resolve("macvlan")) + ")",
                "install-cni: installed route-override -> " + dst.resolve("route-override") + " (sha256 " + shortSha(src.resolve("route-override")) + ")",
                "install-cni: installed static -> " + dst.resolve("static") + " (sha256 " + shortSha(src.resolve("static")) + ")",
                "install-cni: 3 plugins in " + dst + ": 3 installed, 0 updated, 0 unchanged, 0 skipped"), r.outLines());
        for (String name : List.of("macvlan", "route-override", "static")) {
            assertEquals(Files.readString(src.resolve(name)), Files.readString(dst.resolve(name)));
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dst.resolve(name))));
        }
        assertEquals(List.of(), dotFiles(dst), "no temporary file is left behind");
    }

    @Test
    void leavesUnchangedFilesUntouched() throws IOException {
        Path src = sourceWithPlugins(tmp.resolve("src"), "v1");
        Path dst = tmp.resolve("dst");
        assertEquals(0, run("--source", src.toString(), "--target", dst.toString()).exit());
        Object inode = Files.readAttributes(dst.resolve("macvlan"), "unix:ino").get("ino");
        FileTime mtime = Files.getLastModifiedTime(dst.resolve("macvlan"));

        Result r = run("--source", src.toString(), "--target", dst.toString());

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("install-cni: unchanged macvlan -> " + dst.resolve("macvlan")), r.out());
        assertTrue(r.out().contains("3 plugins in " + dst + ": 0 installed, 0 updated, 3 unchanged, 0 skipped"), r.out());
        assertEquals(inode, Files.readAttributes(dst.resolve("macvlan"), "unix:ino").get("ino"), "same inode: not rewritten");
        assertEquals(mtime, Files.getLastModifiedTime(dst.resolve("macvlan")));
    }

    @Test
    void replacesChangedContentAndWrongModeAtomically() throws IOException {
        Path src = sourceWithPlugins(tmp.resolve("src"), "v2");
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        writeExecutable(dst.resolve("macvlan"), "#!/bin/sh\necho old macvlan\n");
        Files.copy(src.resolve("static"), dst.resolve("static"));
        Files.setPosixFilePermissions(dst.resolve("static"), PosixFilePermissions.fromString("rw-r--r--"));
        Object oldInode = Files.readAttributes(dst.resolve("macvlan"), "unix:ino").get("ino");

        Result r = run("--source", src.toString(), "--target", dst.toString());

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("install-cni: updated macvlan -> " + dst.resolve("macvlan") + " (sha256 "
                + shortSha(src.resolve("macvlan")) + "; was sha256 "), r.out());
        assertTrue(r.out().contains("install-cni: updated static -> " + dst.resolve("static") + " (sha256 "
                + shortSha(src.resolve("static")) + "; was mode rw-r--r--)"), r.out());
        assertTrue(r.out().contains("install-cni: installed route-override"), r.out());
        assertEquals(Files.readString(src.resolve("macvlan")), Files.readString(dst.resolve("macvlan")));
        assertNotEquals(oldInode, Files.readAttributes(dst.resolve("macvlan"), "unix:ino").get("ino"),
                "replaced by rename (new inode), not rewritten in place");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dst.resolve("static"))));
    }

    @Test
    void skipExistingLeavesAHostPluginAloneButInstallsWhenAbsent() throws IOException {
        Path src = sourceWithPlugins(tmp.resolve("src"), "v1");
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        String upstream = "#!/bin/sh\necho upstream macvlan\n";
        writeExecutable(dst.resolve("macvlan"), upstream);

        Result r = run("--source", src.toString(), "--target", dst.toString(),
                "--skip-existing", "macvlan", "--skip-existing=static");

        assertEquals(0, r.exit(), r.err());
        assertEquals(upstream, Files.readString(dst.resolve("macvlan")), "the host's macvlan is left alone");
        assertTrue(r.out().contains("install-cni: skipped macvlan -> " + dst.resolve("macvlan")
                + " (already present on the host; --skip-existing macvlan)"), r.out());
        assertTrue(r.out().contains("install-cni: installed static"), "absent, so installed despite --skip-existing: " + r.out());
        assertEquals(Files.readString(src.resolve("static")), Files.readString(dst.resolve("static")));
        assertTrue(r.out().contains(": 2 installed, 0 updated, 0 unchanged, 1 skipped"), r.out());
    }

    @Test
    void skipExistingAcceptsACommaSeparatedListAndWarnsAboutUnknownNames() throws IOException {
        Path src = sourceWithPlugins(tmp.resolve("src"), "v1");
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        writeExecutable(dst.resolve("macvlan"), "#!/bin/sh\n");
        writeExecutable(dst.resolve("static"), "#!/bin/sh\n");

        Result r = run("--source", src.toString(), "--target", dst.toString(), "--skip-existing", "macvlan,static,bridge");

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("2 skipped"), r.out());
        assertTrue(r.err().contains("warning: --skip-existing bridge names no plugin of " + src), r.err());
    }

    @Test
    void missingSourceFailsNamingTheDirectory() {
        Path missing = tmp.resolve("no-such-dir");
        Result r = run("--source", missing.toString(), "--target", tmp.resolve("dst").toString());
        assertEquals(1, r.exit());
        assertEquals("install-cni: source directory " + missing + " does not exist\n", r.err());
        assertFalse(Files.exists(tmp.resolve("dst")), "nothing created when there is nothing to install");
    }

    @Test
    void emptySourceFails() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Result r = run("--source", empty.toString(), "--target", tmp.resolve("dst").toString());
        assertEquals(1, r.exit());
        assertEquals("install-cni: source directory " + empty + " holds no plugin files\n", r.err());
    }

    @Test
    void targetThatIsAFileFailsNamingIt() throws IOException {
        Path src = sourceWithPlugins(tmp.resolve("src"), "v1");
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        Result r = run("--source", src.toString(), "--target", file.toString());
        assertEquals(1, r.exit());
        assertEquals("install-cni: target " + file + " is not a directory\n", r.err());
    }

    @Test
    void createsAMissingTargetDirectory() throws IOException {
        Path src = sourceWithPlugins(tmp.resolve("src"), "v1");
        Path dst = tmp.resolve("a/b/c");
        assertEquals(0, run("--source", src.toString(), "--target", dst.toString()).exit());
        assertTrue(Files.isRegularFile(dst.resolve("route-override")));
    }

    @Test
    void replacesASymbolicLinkInsteadOfWritingThroughIt() throws IOException {
        Path src = sourceWithPlugins(tmp.resolve("src"), "v1");
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Path elsewhere = Files.writeString(tmp.resolve("elsewhere"), "keep me");
        Files.createSymbolicLink(dst.resolve("macvlan"), elsewhere);

        Result r = run("--source", src.toString(), "--target", dst.toString());

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("updated macvlan -> " + dst.resolve("macvlan") + " (sha256 " + shortSha(src.resolve("macvlan"))
                + "; was not a regular file)"), r.out());
        assertFalse(Files.isSymbolicLink(dst.resolve("macvlan")));
        assertEquals("keep me", Files.readString(elsewhere));
    }

    @Test
    void removesStaleTemporaryFilesOfAKilledInstaller() throws IOException {
        Path src = sourceWithPlugins(tmp.resolve("src"), "v1");
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Path stale = Files.writeString(dst.resolve(".macvlan.netattach-123456.tmp"), "half");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(3600)));
        Path fresh = Files.writeString(dst.resolve(".static.netattach-999.tmp"), "in progress elsewhere");
        Path foreign = Files.writeString(dst.resolve(".other.tmp"), "not ours");
        Files.setLastModifiedTime(foreign, FileTime.from(Instant.now().minusSeconds(3600)));

        assertEquals(0, run("--source", src.toString(), "--target", dst.toString()).exit());

        assertFalse(Files.exists(stale, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(fresh), "a recent temporary may belong to a running installer");
        assertTrue(Files.exists(foreign));
    }

    @Test
    void usageErrorsExitWith2() {
        assertEquals(2, run("--bogus").exit());
        assertEquals(2, run("--target").exit());
        assertEquals(2, run("--watch", "0").exit());
        assertEquals(2, run("--watch", "ten").exit());
        assertEquals(2, run("--skip-existing", "../macvlan").exit());
        assertEquals(2, run("--health-port", "9440").exit(), "--health-port without --watch");
        Result r = run("--watch", "-5");
        assertTrue(r.err().contains("--watch needs a whole number from 1 to 86400, got \"-5\""), r.err());
        Result help = run("--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--skip-existing=NAME[,NAME...]"), help.out());
    }

    @Test
    void dispatchedByTheCli() throws IOException {
        Path src = sourceWithPlugins(tmp.resolve("src"), "v1");
        Path dst = tmp.resolve("dst");
        var out = new java.io.ByteArrayOutputStream();
        var ps = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, Cli.run("install-cni", new String[] {"--source", src.toString(), "--target", dst.toString()}, ps, ps));
        assertTrue(Files.exists(dst.resolve("macvlan")));
    }

    private static String shortSha(Path file) {
        try {
            return CniInstaller.sha256(file).substring(0, 12);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
