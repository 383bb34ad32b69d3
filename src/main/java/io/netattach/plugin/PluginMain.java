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
        return ProcessHandle.current().info().command()
                .map(c -> c.substring(c.lastIndexOf('/') + 1))
                .filter(PLUGINS::contains);
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
