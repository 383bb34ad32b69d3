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
public final class InProcessPluginInvoker implements PluginInvoker, AutoCloseable {

    private final String hostNetnsPath;
    /** Tasks for the long-lived platform thread inside the host namespace (started on first use). */
    private final java.util.concurrent.BlockingQueue<java.util.concurrent.FutureTask<String>> hostTasks =
            new java.util.concurrent.LinkedBlockingQueue<>();
    private Thread hostServer;

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
        java.util.concurrent.FutureTask<String> task =
                new java.util.concurrent.FutureTask<>(() -> runSkeleton(plugin, type, stdin, env));
        startHostServer();
        hostTasks.add(task);
        try {
            return task.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CniException(11, "interrupted while running plugin \"" + type + "\"");
        }
    }

    /**
     * One platform thread enters the host namespace once and serves every invocation (a thread per
     * call would cost a thread start and a setns each time).
     */
    private synchronized void startHostServer() {
        if (hostServer != null) {
            return;
        }
        Netns host = Netns.open(hostNetnsPath);
        hostServer = Thread.ofPlatform().daemon(true).name("in-process-cni-host").start(() -> {
            try (host) {
                host.run(() -> {
                    while (true) {
                        java.util.concurrent.FutureTask<String> t = hostTasks.take();
                        if (t == STOP) {
                            return null;
                        }
                        t.run();
                    }
                });
            } catch (RuntimeException e) {
                synchronized (this) {
                    hostServer = null;
                }
                java.util.concurrent.FutureTask<String> t;
                while ((t = hostTasks.poll()) != null) {
                    t.cancel(false);
                }
            }
        });
    }

    private static final java.util.concurrent.FutureTask<String> STOP = new java.util.concurrent.FutureTask<>(() -> "");

    /** Stops the host-namespace thread (if started). */
    @Override
    public synchronized void close() {
        if (hostServer != null) {
            hostTasks.add(STOP);
            hostServer = null;
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
