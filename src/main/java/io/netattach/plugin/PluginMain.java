package io.netattach.plugin;

import java.util.Optional;
import java.util.Set;

/** Entry point of the CNI plugin binaries; the plugin is chosen by executable name or system property. */
public final class PluginMain {

    public static final Set<String> PLUGINS = Set.of("macvlan", "route-override", "static");

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
        System.out.println("{\"code\":4,\"msg\":\"plugin support is not available in this build\"}");
        System.exit(1);
    }
}
