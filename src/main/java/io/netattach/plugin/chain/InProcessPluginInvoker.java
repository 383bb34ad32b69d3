package io.netattach.plugin.chain;

import io.netattach.cni.CniException;
import io.netattach.netlink.Netns;
import io.netattach.plugin.Command;
import io.netattach.plugin.CniRequest;
import io.netattach.plugin.IpamDelegate;
import io.netattach.plugin.Plugin;
import io.netattach.plugin.Plugins;
import io.netattach.plugin.Skeleton;
import io.netattach.plugin.macvlan.MacvlanPlugin;
import io.netattach.cni.NetConf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the bundled plugins inside this JVM, through the same {@link Skeleton} as the binaries (same
 * environment checks, same stdout), without a process per call: for tests and the in-process
 * benchmark. Plugins run on a thread inside {@code hostNetns} (which plays the node) or, when it is
 * null, in this process's namespace. macvlan's IPAM delegation is also in process when the IPAM
 * type is a bundled plugin, else it executes the binary from CNI_PATH.
 */
public final class InProcessPluginInvoker implements PluginInvoker {

    private final String hostNetnsPath;

    /** @param hostNetnsPath the namespace the plugins see as host, or null for this process's */
    public InProcessPluginInvoker(String hostNetnsPath) {
        this.hostNetnsPath = hostNetnsPath;
    }

    /** The bundled plugin {@code type}, with in-process IPAM delegation for macvlan. */
    public Optional<Plugin> plugin(String type) {
        if (type.equals("macvlan")) {
            return Optional.of(new MacvlanPlugin(InProcessPluginInvoker::delegate));
        }
        return Plugins.lookup(type);
    }

    private static String delegate(Command command, CniRequest request, NetConf conf) {
        Optional<Plugin> bundled = Plugins.lookup(conf.ipamType());
        if (bundled.isEmpty()) {
            return IpamDelegate.exec(command, request, conf);
        }
        Map<String, String> env = new LinkedHashMap<>(request.environment());
        env.put("CNI_COMMAND", command.name());
        return runSkeleton(bundled.get(), conf.ipamType(), request.stdin(), env);
    }

    @Override
    public String invoke(String type, String stdin, Map<String, String> env) {
        ExecPluginInvoker.checkType(type);
        Plugin plugin = plugin(type).orElseThrow(() -> CniException.config("plugin \"" + type
                + "\" is not bundled (in-process invocation runs bundled plugins only)"));
        if (hostNetnsPath == null) {
            return runSkeleton(plugin, type, stdin, env);
        }
        try (Netns host = Netns.open(hostNetnsPath)) {
            return host.run(() -> runSkeleton(plugin, type, stdin, env));
        }
    }

    public static String runSkeleton(Plugin plugin, String type, String stdin, Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, false, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, false, StandardCharsets.UTF_8)) {
            status = Skeleton.run(plugin, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), o, e);
        }
        String stdout = out.toString(StandardCharsets.UTF_8);
        if (status == 0) {
            return stdout;
        }
        throw ExecPluginInvoker.pluginError(type, stdout, err.toString(StandardCharsets.UTF_8));
    }
}
