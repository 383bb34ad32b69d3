package io.netattach.cli.install;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Copies the bundled CNI plugins from a source directory into a host CNI directory.
 *
 * <p>Every write is atomic: the new bytes go to a temporary file in the target directory, which is
 * fsynced, made {@code 0755} and renamed over the old file; then the directory is fsynced. A
 * process executing the old binary keeps its inode (no "text file busy", since nothing opens the old
 * file for writing) and a process starting the plugin sees either the old or the new complete file,
 * never a torn one. Files whose SHA-256 already matches are left untouched.
 *
 * <p>One instance keeps, between passes, the checksums of the source files and the file status of
 * every target it verified, so a watch loop re-hashes a target only when its inode, size, mode or
 * times changed.
 */
public final class CniInstaller {

    /** Temporary files are named {@code .NAME.netattach-DIGITS.tmp}. */
    private static final Pattern TEMP_NAME = Pattern.compile("^\\.(.+)\\.netattach-\\d+\\.tmp$");
    /** A temporary file older than this is a leftover of a killed installer and is removed. */
    private static final Duration STALE_TEMP_AGE = Duration.ofMinutes(1);
    private static final Set<PosixFilePermission> MODE_0755 = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> MODE_0600 = PosixFilePermissions.fromString("rw-------");

    private final Path source;
    private final Path target;
    private final Set<String> skipExisting;
    private final Map<String, SourceFile> sourceCache = new HashMap<>();
    private final Map<String, FileStamp> verifiedTargets = new HashMap<>();

    public CniInstaller(Path source, Path target, Set<String> skipExisting) {
        this.source = Objects.requireNonNull(source, "source");
        this.target = Objects.requireNonNull(target, "target");
        this.skipExisting = Set.copyOf(skipExisting);
    }

    public Path source() {
        return source;
    }

    public Path target() {
        return target;
    }

    /**
     * The plugins of the source directory: regular files (symbolic links followed) whose names do
     * not start with a dot, sorted by name.
     */
    public List<String> plugins() throws InstallException {
        if (!Files.exists(source)) {
            throw new InstallException("source directory " + source + " does not exist");
        }
        if (!Files.isDirectory(source)) {
            throw new InstallException("source " + source + " is not a directory");
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(source)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(".") && Files.isRegularFile(entry)) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw new InstallException("cannot read source directory " + source + ": " + reason(e), e);
        }
        if (names.isEmpty()) {
            throw new InstallException("source directory " + source + " holds no plugin files");
        }
        names.sort(null);
        return names;
    }

    /** One pass: every plugin of the source directory ends up in the target directory, or an exception says why not. */
    public List<InstallAction> installOnce() throws InstallException {
        List<String> plugins = plugins();
        prepareTarget();
        removeStaleTemporaries(Set.copyOf(plugins));
        List<InstallAction> actions = new ArrayList<>(plugins.size());
        for (String plugin : plugins) {
            actions.add(installOne(plugin));
        }
        return actions;
    }

    private void prepareTarget() throws InstallException {
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new InstallException("target " + target + " is not a directory");
        }
        if (!Files.exists(target)) {
            try {
                Files.createDirectories(target);
            } catch (IOException e) {
                throw new InstallException("cannot create target directory " + target + ": " + reason(e), e);
            }
        }
    }

    private InstallAction installOne(String plugin) throws InstallException {
        Path from = source.resolve(plugin);
        Path to = target.resolve(plugin);
        boolean present = Files.exists(to, LinkOption.NOFOLLOW_LINKS);
        if (present && skipExisting.contains(plugin)) {
            verifiedTargets.remove(plugin);
            return new InstallAction(plugin, InstallOutcome.SKIPPED, to,
                    "already present on the host; --skip-existing " + plugin);
        }
        SourceFile src = sourceFile(plugin, from);
        String previous = null;
        if (present) {
            FileStamp stamp = FileStamp.of(to);
            if (stamp != null && stamp.regular() && stamp.mode0755()) {
                if (stamp.equals(verifiedTargets.get(plugin))) {
                    return new InstallAction(plugin, InstallOutcome.UNCHANGED, to, "sha256 " + shortHash(src.sha256()));
                }
                String current = sha256(to);
                if (current.equals(src.sha256())) {
                    verifiedTargets.put(plugin, stamp);
                    return new InstallAction(plugin, InstallOutcome.UNCHANGED, to, "sha256 " + shortHash(src.sha256()));
                }
                previous = "was sha256 " + shortHash(current);
            } else if (stamp != null && stamp.regular()) {
                previous = "was mode " + PosixFilePermissions.toString(stamp.permissions());
            } else {
                previous = "was not a regular file";
            }
        }
        String written = atomicCopy(plugin, from, to);
        if (!written.equals(src.sha256())) {
            // The source changed while it was copied; the next pass copies it again.
            sourceCache.remove(plugin);
        }
        FileStamp stamp = FileStamp.of(to);
        if (stamp != null) {
            verifiedTargets.put(plugin, stamp);
        }
        String detail = "sha256 " + shortHash(written) + (previous == null ? "" : "; " + previous);
        return new InstallAction(plugin, present ? InstallOutcome.UPDATED : InstallOutcome.INSTALLED, to, detail);
    }

    /** Writes a temporary file in the target directory, fsyncs it, makes it 0755, renames it over {@code to}, fsyncs the directory. */
    private String atomicCopy(String plugin, Path from, Path to) throws InstallException {
        Path temp;
        try {
            temp = Files.createTempFile(target, "." + plugin + ".netattach-", ".tmp",
                    PosixFilePermissions.asFileAttribute(MODE_0600));
        } catch (IOException e) {
            throw new InstallException("cannot write to target directory " + target + ": " + reason(e), e);
        }
        boolean renamed = false;
        try {
            MessageDigest digest = newDigest();
            try (InputStream in = Files.newInputStream(from);
                 FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                    ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                }
                Files.setPosixFilePermissions(temp, MODE_0755);
                out.force(true);
            } catch (NoSuchFileException e) {
                if (e.getFile() != null && Path.of(e.getFile()).startsWith(source)) {
                    throw new InstallException("source file " + from + " disappeared while copying", e);
                }
                throw new InstallException("cannot write " + temp + " in target directory " + target + ": " + reason(e), e);
            } catch (IOException e) {
                throw new InstallException("cannot write " + temp + " in target directory " + target + ": " + reason(e), e);
            }
            try {
                Files.move(temp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                renamed = true;
            } catch (IOException e) {
                throw new InstallException("cannot rename " + temp + " to " + to + ": " + reason(e), e);
            }
            syncDirectory();
            return HexFormat.of().formatHex(digest.digest());
        } finally {
            if (!renamed) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: the next pass removes stale temporaries
                }
            }
        }
    }

    private void syncDirectory() throws InstallException {
        try (FileChannel dir = FileChannel.open(target, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            throw new InstallException("cannot fsync target directory " + target + ": " + reason(e), e);
        }
    }

    private void removeStaleTemporaries(Set<String> plugins) {
        Instant limit = Instant.now().minus(STALE_TEMP_AGE);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target, ".*.netattach-*.tmp")) {
            for (Path entry : entries) {
                Matcher m = TEMP_NAME.matcher(entry.getFileName().toString());
                if (m.matches() && plugins.contains(m.group(1))) {
                    FileTime modified = Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS);
                    if (modified.toInstant().isBefore(limit)) {
                        Files.deleteIfExists(entry);
                    }
                }
            }
        } catch (IOException ignored) {
            // an unreadable or read-only directory is reported by the copy itself
        }
    }

    private SourceFile sourceFile(String plugin, Path from) throws InstallException {
        FileStamp stamp;
        try {
            stamp = FileStamp.ofFollowing(from);
        } catch (IOException e) {
            throw new InstallException("cannot read source file " + from + ": " + reason(e), e);
        }
        SourceFile cached = sourceCache.get(plugin);
        if (cached != null && cached.stamp().equals(stamp)) {
            return cached;
        }
        SourceFile fresh = new SourceFile(stamp, sha256Source(from));
        sourceCache.put(plugin, fresh);
        return fresh;
    }

    private String sha256Source(Path file) throws InstallException {
        try {
            return sha256(file);
        } catch (InstallException e) {
            throw new InstallException("cannot read source file " + file + ": " + e.getMessage(), e);
        }
    }

    /** SHA-256 of a file as lower-case hex. */
    public static String sha256(Path file) throws InstallException {
        MessageDigest digest = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new InstallException("cannot read " + file + ": " + reason(e), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    static String shortHash(String hex) {
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    /** A short reason for an I/O failure: "Permission denied", "Read-only file system", ... */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private record SourceFile(FileStamp stamp, String sha256) {
    }

    /** What identifies one state of a file cheaply: inode, size, mode and times. */
    private record FileStamp(Object fileKey, long size, FileTime modified, Object changed,
                             Set<PosixFilePermission> permissions, boolean regular) {

        boolean mode0755() {
            return permissions.equals(MODE_0755);
        }

        /** The status of {@code file} itself (links not followed), or null when it cannot be read. */
        static FileStamp of(Path file) {
            try {
                return read(file, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                return null;
            }
        }

        static FileStamp ofFollowing(Path file) throws IOException {
            return read(file);
        }

        private static FileStamp read(Path file, LinkOption... options) throws IOException {
            PosixFileAttributes attrs = Files.readAttributes(file, PosixFileAttributes.class, options);
            Object ctime;
            try {
                ctime = Files.getAttribute(file, "unix:ctime", options);
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                ctime = null;
            }
            return new FileStamp(attrs.fileKey(), attrs.size(), attrs.lastModifiedTime(), ctime,
                    Set.copyOf(attrs.permissions()),
                    attrs.isRegularFile());
        }
    }
}
