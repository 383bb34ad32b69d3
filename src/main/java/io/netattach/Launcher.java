package io.netattach;

import io.netattach.admission.tls.TlsBootstrap;
import io.netattach.cli.Cli;
import io.netattach.plugin.PluginMain;
import io.quarkus.runtime.Quarkus;

/**
 * What {@link Main} runs once the JVM is recent enough.
 *
 * <ul>
 *   <li>CNI plugin mode: when the process runs as one of the plugin binaries ({@code macvlan},
 *       {@code route-override}, {@code static}), chosen by the executable name or by the system
 *       property {@code netattach.plugin} (JVM launchers). Nothing else is loaded: no picocli, no Quarkus.</li>
 *   <li>Otherwise the command line ({@link Cli}, picocli): {@code lint}, {@code inject},
 *       {@code install-cni}, {@code demo}, {@code completion} run without booting Quarkus; {@code serve}
 *       (or no command) boots the webhook server; an unknown command is a usage error (exit 2).</li>
 * </ul>
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String... args) {
        if (PluginMain.selectedPlugin().isPresent()) {
            PluginMain.main(args);
            return;
        }
        int status = Cli.run(args, Launcher::serve);
        if (status != 0 || !served) {
            System.exit(status);
        }
        // after the server, Quarkus decides about the exit (as before: dev mode restarts run in this JVM)
    }

    private static volatile boolean served;

    /** Boots the webhook with {@code properties} as system properties; returns when it has stopped. */
    private static int serve(java.util.Map<String, String> properties) {
        properties.forEach(System::setProperty);
        if (!TlsBootstrap.prepare(System.err)) {
            return 2;
        }
        served = true;
        Quarkus.run();
        return 0;
    }
}
