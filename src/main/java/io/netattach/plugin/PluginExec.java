package io.netattach.plugin;

import io.netattach.cni.CniError;
import io.netattach.cni.CniException;
import io.netattach.cni.Json;
import io.netattach.cni.JsonException;
import io.netattach.cni.PluginType;
import io.netattach.cni.Text;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Running a CNI plugin executable, the one implementation for the chain runner and for IPAM delegation:
 * the {@code type} is a plain file name looked up in CNI_PATH ({@link PluginType}), the config goes to
 * stdin, stdout and stderr are read concurrently, and the plugin is killed when it runs longer than the
 * timeout (CNI error code 11, try again later). A non-zero exit is parsed as libcni's {@code pluginErr} does.
 */
public final class PluginExec {

    /** How long one plugin may run unless the caller says otherwise. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 60_000;

    /** What a finished plugin left: its exit status and output. */
    public record Output(int exit, String stdout, String stderr) {
    }

    private PluginExec() {
    }

    /** Refuses a {@code type} that is not a plain plugin file name (code 7). */
    public static void checkType(String type) {
        PluginType.problem(type).ifPresent(problem -> {
            throw new CniException(CniError.CODE_INVALID_NETWORK_CONFIG, "plugin type " + Text.quote(type) + " " + problem);
        });
    }

    /** The executable for {@code type} in the CNI_PATH directories {@code path}, if there is one. */
    public static Optional<Path> find(String type, List<Path> path) {
        checkType(type);
        for (Path dir : path) {
            Path candidate = dir.resolve(type);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Writes {@code stdin} to the started {@code process}, reads its output and waits at most
     * {@code timeoutMillis}; a plugin still running then is killed and a code 11 error is thrown.
     */
    public static Output communicate(Process process, String name, String stdin, long timeoutMillis) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread outPump = Thread.ofPlatform().daemon(true).start(() -> copy(process.getInputStream(), out));
        Thread errPump = Thread.ofPlatform().daemon(true).start(() -> copy(process.getErrorStream(), err));
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // the plugin may exit without reading stdin; its exit status tells
        }
        try {
            if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new CniException(CniError.CODE_TRY_AGAIN_LATER, "plugin " + Text.quote(name) + " timed out after "
                        + timeoutMillis + " ms");
            }
            outPump.join(timeoutMillis);
            errPump.join(timeoutMillis);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CniException(CniError.CODE_TRY_AGAIN_LATER, "interrupted while running plugin " + Text.quote(name));
        }
        synchronized (out) {
            synchronized (err) {
                return new Output(process.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            }
        }
    }

    /** The CNI error object a failed plugin printed on stdout, if it printed one. */
    public static Optional<CniError> errorObject(String stdout) {
        if (stdout.isBlank()) {
            return Optional.empty();
        }
        try {
            return CniError.fromJson(Json.parse(stdout));
        } catch (JsonException e) {
            return Optional.empty();
        }
    }

    /** The error of a failed plugin, parsed as libcni's {@code pluginErr} does. */
    public static CniException pluginError(String type, String stdout, String stderr) {
        if (stdout.isBlank()) {
            String text = stderr.strip();
            return new CniException(CniError.CODE_INTERNAL, text.isEmpty()
                    ? "plugin \"" + type + "\" failed without a message" : text);
        }
        try {
            return CniError.fromJson(Json.parse(stdout)).map(CniException::new)
                    .orElseGet(() -> new CniException(CniError.CODE_INTERNAL,
                            "netplugin failed but error parsing its diagnostic message \"" + stdout.strip() + "\""));
        } catch (JsonException e) {
            return new CniException(CniError.CODE_INTERNAL, "netplugin failed but error parsing its diagnostic message \""
                    + stdout.strip() + "\": " + e.getMessage());
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException ignored) {
            // the process went away
        }
    }
}
