package io.netattach.plugin;

import io.netattach.plugin.macvlan.MacvlanPlugin;
import io.netattach.plugin.routeoverride.RouteOverride;
import io.netattach.plugin.staticipam.StaticPlugin;

import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The plugins of the one executable, by binary name. No reflection or ServiceLoader (native
 * image): add a line to {@link #lookup} for each new plugin.
 */
public final class Plugins {
    private Plugins() {
    }

    /** The names of the plugin binaries this build provides (launchers and install-cni). */
    public static final Set<String> NAMES = Set.of("macvlan", "route-override", "static");

    /** The plugin named {@code name}, when this build has it. */
    public static Optional<Plugin> lookup(String name) {
        Supplier<Plugin> s = switch (name) {
            case "route-override" -> RouteOverride::new;
            case "macvlan" -> MacvlanPlugin::new;
            case "static" -> StaticPlugin::new;
            default -> null;
        };
        return Optional.ofNullable(s).map(Supplier::get);
    }
}
