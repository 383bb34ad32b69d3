package io.netattach.plugin;

import io.netattach.cni.CniError;
import io.netattach.cni.CniException;
import io.netattach.cni.CniVersion;
import io.netattach.cni.NetConf;
import io.netattach.cni.Result;

import java.io.IOException;
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
     * Finds {@code type} in {@code path}. A type that is not a plain file name is refused (path traversal,
     * CVE-2021-20206), as {@link PluginExec#find}.
     */
    public static Path find(String type, java.util.List<String> path) {
        if (type.isEmpty()) {
            throw CniException.config("field \"ipam.type\" is required");
        }
        java.util.List<Path> dirs = path.stream().filter(d -> !d.isEmpty()).map(Path::of).toList();
        return PluginExec.find(type, dirs)
                .orElseThrow(() -> CniException.config("failed to find plugin \"" + type + "\" in path " + path));
    }

    /**
     * Executes the IPAM plugin for {@code command}; returns its stdout on success. A plugin that runs longer
     * than {@link PluginExec#DEFAULT_TIMEOUT_MILLIS} is killed (code 11).
     */
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
        PluginExec.Output output = PluginExec.communicate(process, conf.ipamType(), request.stdin(), PluginExec.DEFAULT_TIMEOUT_MILLIS);
        if (!output.stderr().isEmpty()) {
            System.err.print(output.stderr());
        }
        if (output.exit() == 0) {
            return output.stdout();
        }
        Optional<CniError> error = PluginExec.errorObject(output.stdout());
        if (error.isPresent()) {
            throw new CniException(error.get());
        }
        String text = output.stdout().isBlank() ? output.stderr().strip()
                : "netplugin failed but error parsing its diagnostic message \"" + output.stdout().strip() + "\"";
        throw CniException.internal("IPAM plugin \"" + conf.ipamType() + "\" failed (exit " + output.exit() + ")"
                + (text.isEmpty() ? "" : ": " + text));
    }
}
