package io.netattach.plugin.chain;

import io.netattach.cni.CniError;
import io.netattach.cni.CniException;
import io.netattach.netlink.Netns;
import io.netattach.plugin.PluginExec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Executes plugin binaries as libcni's {@code invoke} package does, through {@link PluginExec}: the
 * executable named {@code type} is looked up in the CNI_PATH directories (a type that is not a plain file
 * name is refused, CVE-2021-20206), the request config goes to stdin, the CNI_* variables are added to this process's
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
        return PluginExec.find(type, cniPath);
    }

    static void checkType(String type) {
        PluginExec.checkType(type);
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
        PluginExec.Output output = PluginExec.communicate(process, type, stdin, timeoutMillis);
        if (output.exit() == 0) {
            return output.stdout();
        }
        throw pluginError(type, output.stdout(), output.stderr());
    }

    /** The error of a failed plugin, parsed as libcni's {@code pluginErr} does. */
    static CniException pluginError(String type, String stdout, String stderr) {
        return PluginExec.pluginError(type, stdout, stderr);
    }
}
