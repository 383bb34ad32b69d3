package io.netattach.plugin;

import io.netattach.cni.CniError;
import io.netattach.cni.Json;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Entry point of the CNI plugin binaries. One executable serves several plugins: the plugin is
 * chosen by the system property {@code netattach.plugin} (JVM launchers in {@code target/cni-bin/}
 * run {@code java -Dnetattach.plugin=NAME ...}) or by the executable's file name (native builds
 * installed as {@code /opt/cni/bin/macvlan} etc.).
 */
public final class PluginMain {

    public static final java.util.Set<String> PLUGINS = Plugins.NAMES;

    private PluginMain() {
    }

    /** The plugin this process runs as, if any. */
    public static Optional<String> selectedPlugin() {
        String property = System.getProperty("netattach.plugin");
        if (property != null && !property.isEmpty()) {
            return Optional.of(property);
        }
        // argv[0] as the runtime exec'd it (a symlink name survives here, unlike /proc/self/exe)
        Optional<String> argv0 = argv0().map(PluginMain::baseName).filter(PLUGINS::contains);
        if (argv0.isPresent()) {
            return argv0;
        }
        return ProcessHandle.current().info().command()
                .map(PluginMain::baseName)
                .filter(PLUGINS::contains);
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The first NUL-terminated string of /proc/self/cmdline. */
    private static Optional<String> argv0() {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("/proc/self/cmdline"))) {
            byte[] head = in.readNBytes(4096);
            int end = 0;
            while (end < head.length && head[end] != 0) {
                end++;
            }
            return end == 0 ? Optional.empty() : Optional.of(new String(head, 0, end, StandardCharsets.UTF_8));
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        int status;
        try {
            String name = selectedPlugin().orElse("");
            Optional<Plugin> plugin = Plugins.lookup(name);
            if (plugin.isEmpty()) {
                out.println(Json.writePretty(new CniError(CniError.CODE_INVALID_ENVIRONMENT,
                        "unknown plugin \"" + name + "\"", "this build provides " + Plugins.NAMES).toJson(null)));
                status = 1;
            } else {
                status = Skeleton.run(plugin.get(), System.getenv(), System.in, out, System.err);
            }
        } catch (Throwable t) {
            out.println("{\"code\":999,\"msg\":" + Json.quote(String.valueOf(t.getMessage())) + "}");
            status = 1;
        }
        out.flush();
        System.exit(status);
    }
}
