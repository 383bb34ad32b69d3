package io.netattach.plugin;

import io.netattach.cni.CniError;
import io.netattach.cni.CniException;
import io.netattach.cni.CniVersion;
import io.netattach.cni.Json;
import io.netattach.cni.JsonException;
import io.netattach.cni.NetConf;
import io.netattach.cni.Result;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the delegated IPAM plugin ({@code ipam.type}) as the spec's section 4 says: looked up in
 * {@code CNI_PATH}, executed with the same environment (CNI_COMMAND set to the verb) and the
 * complete network configuration on stdin; its stderr is passed through. A failure of the delegate
 * is rethrown as a {@link CniException} with the delegate's own code and message.
 *
 * <pre>{@code
 * Result ipam = IpamDelegate.add(request, conf);      // ADD
 * ...on a later failure: IpamDelegate.del(request, conf) before rethrowing
 * IpamDelegate.del(request, conf);                     // DEL, CHECK, STATUS, GC likewise
 * }</pre>
 */
public final class IpamDelegate {
    private IpamDelegate() {
    }

    /** ADD through the IPAM plugin; its result (any version) is parsed. */
    public static Result add(CniRequest request, NetConf conf) {
        String out = exec(Command.ADD, request, conf);
        return Result.parse(out, "IPAM plugin \"" + conf.ipamType() + "\" result",
                conf.version().orElse(CniVersion.CURRENT));
    }

    public static void del(CniRequest request, NetConf conf) {
        exec(Command.DEL, request, conf);
    }

    public static void check(CniRequest request, NetConf conf) {
        exec(Command.CHECK, request, conf);
    }

    public static void status(CniRequest request, NetConf conf) {
        exec(Command.STATUS, request, conf);
    }

    public static void gc(CniRequest request, NetConf conf) {
        exec(Command.GC, request, conf);
    }

    /**
     * Finds {@code type} in {@code path}. A type with '/', '\' or ".." is refused (path traversal,
     * CVE-2021-20206).
     */
    public static Path find(String type, java.util.List<String> path) {
        if (type.isEmpty()) {
            throw CniException.config("field \"ipam.type\" is required");
        }
        if (type.contains("/") || type.contains("\\") || type.contains("..")) {
            throw CniException.config("field \"ipam.type\": \"" + type
                    + "\" is not a plugin name (no '/', '\\' or '..')");
        }
        for (String dir : path) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, type);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw CniException.config("failed to find plugin \"" + type + "\" in path " + path);
    }

    /** Executes the IPAM plugin for {@code command}; returns its stdout on success. */
    public static String exec(Command command, CniRequest request, NetConf conf) {
        Path binary = find(conf.ipamType(), request.path());
        ProcessBuilder pb = new ProcessBuilder(binary.toString());
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(request.environment());
        env.put("CNI_COMMAND", command.name());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new CniException(CniError.CODE_IO_FAILURE, "failed to run IPAM plugin \"" + binary + "\": "
                    + e.getMessage());
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errPump = Thread.ofPlatform().daemon(true).start(() -> copy(process.getErrorStream(), err));
        byte[] out;
        int exit;
        try (OutputStream in = process.getOutputStream()) {
            in.write(request.stdin().getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // the plugin may exit without reading stdin; its status tells
        }
        try {
            out = process.getInputStream().readAllBytes();
            exit = process.waitFor();
            errPump.join();
        } catch (IOException e) {
            process.destroyForcibly();
            throw new CniException(CniError.CODE_IO_FAILURE, "failed to read IPAM plugin output: " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CniException(CniError.CODE_IO_FAILURE, "interrupted while running IPAM plugin");
        }
        String stdout = new String(out, StandardCharsets.UTF_8);
        String stderr = err.toString(StandardCharsets.UTF_8);
        if (!stderr.isEmpty()) {
            System.err.print(stderr);
        }
        if (exit == 0) {
            return stdout;
        }
        Optional<CniError> error = Optional.empty();
        if (!stdout.isBlank()) {
            try {
                error = CniError.fromJson(Json.parse(stdout));
            } catch (JsonException ignored) {
                // not an error object
            }
        }
        if (error.isPresent()) {
            throw new CniException(error.get());
        }
        String text = stdout.isBlank() ? stderr.strip() : "netplugin failed but error parsing its diagnostic message \""
                + stdout.strip() + "\"";
        throw CniException.internal("IPAM plugin \"" + conf.ipamType() + "\" failed (exit " + exit + ")"
                + (text.isEmpty() ? "" : ": " + text));
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process went away
        }
    }
}
