package io.netattach;

import io.netattach.admission.tls.TlsBootstrap;
import io.netattach.cli.Cli;
import io.netattach.plugin.PluginMain;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.util.Arrays;

/**
 * The single entry point of netattach.
 *
 * <ul>
 *   <li>CNI plugin mode: when the process runs as one of the plugin binaries ({@code macvlan},
 *       {@code route-override}, {@code static}), chosen by the executable name or by the system
 *       property {@code netattach.plugin} (JVM launchers).</li>
 *   <li>CLI mode: {@code lint}, {@code inject}, {@code install-cni}, {@code demo} run without
 *       booting Quarkus.</li>
 *   <li>Otherwise ({@code serve} or no command) the webhook server boots.</li>
 * </ul>
 */
@QuarkusMain
public final class Main {

    private Main() {
    }

    public static void main(String... args) {
        if (PluginMain.selectedPlugin().isPresent()) {
            PluginMain.main(args);
            return;
        }
        if (args.length > 0 && Cli.isCommand(args[0])) {
            System.exit(Cli.run(args[0], Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        String[] serveArgs = args.length > 0 && args[0].equals("serve")
                ? Arrays.copyOfRange(args, 1, args.length)
                : args;
        if (!TlsBootstrap.prepare(System.err)) {
            System.exit(2);
            return;
        }
        Quarkus.run(serveArgs);
    }
}
