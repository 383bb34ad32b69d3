package io.netattach.plugin.chain;

import io.netattach.cni.CniError;
import io.netattach.cni.CniException;
import io.netattach.cni.Json;
import io.netattach.cni.JsonException;
import io.netattach.netlink.Netns;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Executes plugin binaries as libcni's {@code invoke} package does: the executable named {@code type}
 * is looked up in the CNI_PATH directories (a type with {@code /}, {@code \} or {@code ..} is refused,
 * CVE-2021-20206), the request config goes to stdin, the CNI_* variables are added to this process's
 * environment, stdout is the result; on a non-zero exit stdout is parsed as a CNI error object (stderr
 * text when stdout is empty).
 *
 * @param cniPath       directories searched in order
 * @param commandPrefix prepended to the command, e.g. {@code ip netns exec NODE} to run the plugin in
 *                      another host namespace (tests, demo); empty for a plain exec
 * @param timeoutMillis how long one plugin may run
 * @param hostNetns     when not null, the plugin process is started from a thread inside this network
 *                      namespace (a child inherits the namespaces of the thread that spawns it), so the
 *                      plugin sees it as the host; cheaper than an {@code ip netns exec} prefix
 */
public record ExecPluginInvoker(List<Path> cniPath, List<String> commandPrefix, long timeoutMillis,
                                String hostNetns) implements PluginInvoker {

    public ExecPluginInvoker {
        cniPath = List.copyOf(cniPath);
        commandPrefix = List.copyOf(commandPrefix);
    }

    public ExecPluginInvoker(List<Path> cniPath) {
        this(cniPath, List.of(), 60_000, null);
    }

    /** Plugins run with {@code hostNetns} (a netns path) as their host namespace. */
    public static ExecPluginInvoker inNetns(List<Path> cniPath, String hostNetns) {
        return new ExecPluginInvoker(cniPath, List.of(), 60_000, hostNetns);
    }

    /** The executable for {@code type}, if one is in CNI_PATH. */
    public Optional<Path> find(String type) {
        checkType(type);
        for (Path dir : cniPath) {
            Path candidate = dir.resolve(type);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static void checkType(String type) {
        if (type.isEmpty() || type.contains("/") || type.contains("\\") || type.contains("..")) {
            throw new CniException(CniError.CODE_INVALID_NETWORK_CONFIG, "invalid plugin name: \"" + type
                    + "\" (a plugin type is a file name in CNI_PATH)");
        }
    }

    @Override
    public String invoke(String type, String stdin, Map<String, String> env) {
        Path exe = find(type).orElseThrow(() -> new CniException(CniError.CODE_INVALID_NETWORK_CONFIG,
                "failed to find plugin \"" + type + "\" in path " + cniPath));
        List<String> command = new ArrayList<>(commandPrefix);
        command.add(exe.toString());
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Process process;
        try {
            if (hostNetns == null) {
                process = pb.start();
            } else {
                try (Netns ns = Netns.open(hostNetns)) {
                    process = ns.run(pb::start);
                }
            }
        } catch (RuntimeException e) {
            throw new CniException(CniError.CODE_IO_FAILURE, "cannot execute plugin \"" + exe + "\" in netns \""
                    + hostNetns + "\": " + (e.getCause() instanceof IOException io ? io.getMessage() : e.getMessage()));
        } catch (IOException e) {
            throw new CniException(CniError.CODE_IO_FAILURE, "cannot execute plugin \"" + exe + "\": "
                    + e.getMessage());
        }
        try {
            StringBuilder err = new StringBuilder();
            Thread errReader = Thread.ofVirtual().start(() -> err.append(readAll(process.getErrorStream())));
            try (OutputStream os = process.getOutputStream()) {
                os.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the plugin may exit without reading stdin; its exit status tells
            }
            String out = readAll(process.getInputStream());
            if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new CniException(CniError.CODE_TRY_AGAIN_LATER, "plugin \"" + type + "\" timed out after "
                        + timeoutMillis + " ms");
            }
            errReader.join();
            if (process.exitValue() == 0) {
                return out;
            }
            throw pluginError(type, out, err.toString());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CniException(CniError.CODE_TRY_AGAIN_LATER, "interrupted while running plugin \"" + type + "\"");
        }
    }

    /** The error of a failed plugin, parsed as libcni's {@code pluginErr} does. */
    static CniException pluginError(String type, String stdout, String stderr) {
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

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
