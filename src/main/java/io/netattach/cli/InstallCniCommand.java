package io.netattach.cli;

import io.netattach.cli.install.CniInstaller;
import io.netattach.cli.install.HealthEndpoint;
import io.netattach.cli.install.HealthEndpoint.WatchStatus;
import io.netattach.cli.install.InstallAction;
import io.netattach.cli.install.InstallException;
import io.netattach.cli.install.InstallOutcome;

import java.io.IOException;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code install-cni} command: copies the bundled CNI plugins into a host CNI directory
 * (the DaemonSet's init container), and with {@code --watch} keeps them installed and reports health
 * (the DaemonSet's long-running container). Plain Java: it runs without booting Quarkus.
 *
 * <p>Exit codes: 0 done; 1 install failed (source missing, target not writable, ...); 2 usage error.
 */
@Command(name = "install-cni",
        description = {"Copy the bundled CNI plugins into a host CNI directory.",
                "The DaemonSet's init container; with --watch the long-running container that keeps them installed "
                        + "and reports health. Every copy is atomic (temporary file in the target directory, fsync, "
                        + "chmod 0755, rename); files whose SHA-256 already matches are left untouched."},
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"  0:done", "  1:install failed", "  2:usage error"})
public final class InstallCniCommand extends CliCommand {

    /** Where the container image keeps the plugin executables. */
    public static final Path DEFAULT_SOURCE = Path.of("/opt/netattach/cni-bin");
    /** Where the DaemonSet mounts the host CNI directory. */
    public static final Path DEFAULT_TARGET = Path.of("/host/opt/cni/bin");

    @Option(names = "--source", paramLabel = "DIR", defaultValue = "/opt/netattach/cni-bin",
            description = "plugin executables to install (default ${DEFAULT-VALUE})")
    String source;

    @Option(names = "--target", paramLabel = "DIR", defaultValue = "/host/opt/cni/bin",
            description = "host CNI binary directory (default ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--skip-existing", paramLabel = "NAME", split = ",",
            description = "leave NAME alone when the target already has a file of that name; "
                    + "repeatable (--skip-existing a --skip-existing b) or comma-separated (a,b): plugin names")
    List<String> skipExisting = new ArrayList<>();

    @Option(names = "--watch", paramLabel = "SECONDS",
            description = "keep running: re-check every SECONDS, re-install what was removed or changed")
    String watch;

    @Option(names = "--health-port", paramLabel = "PORT",
            description = "with --watch: serve GET /healthz on PORT (200 healthy, 503 not)")
    String healthPort;

    /** Parsed command line. {@code watchSeconds} 0 means one pass; {@code healthPort} -1 means none. */
    record Options(Path source, Path target, Set<String> skipExisting, int watchSeconds, int healthPort) {
    }

    @Override
    public Integer call() {
        Options options = options();
        CniInstaller installer = new CniInstaller(options.source(), options.target(), options.skipExisting());
        if (options.watchSeconds() == 0) {
            return runOnce(installer, options, out, err);
        }
        return watch(installer, options, out, err);
    }

    private Options options() {
        Set<String> skip = new LinkedHashSet<>();
        for (String plugin : skipExisting == null ? List.<String>of() : skipExisting) {
            skip.add(pluginName(plugin));
        }
        int watchSeconds = watch == null ? 0 : positive("--watch", watch, 86_400);
        int port = healthPort == null ? -1 : positive("--health-port", healthPort, 65_535);
        if (port != -1 && watchSeconds == 0) {
            throw usageError("--health-port needs --watch (a single pass has nothing to report on)");
        }
        return new Options(directory("--source", source), directory("--target", target), Set.copyOf(skip), watchSeconds, port);
    }

    private Path directory(String option, String value) {
        if (value.isBlank()) {
            throw usageError(option + " needs a directory, got \"" + value + "\"");
        }
        try {
            return Path.of(value).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw usageError(option + " needs a directory, got \"" + value + "\"");
        }
    }

    private String pluginName(String value) {
        if (value.isEmpty() || value.equals(".") || value.equals("..") || value.contains("/") || value.contains("\\")) {
            throw usageError("--skip-existing needs a plugin file name, got \"" + value + "\"");
        }
        return value;
    }

    private int positive(String option, String value, int max) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw usageError(option + " needs a whole number from 1 to " + max + ", got \"" + value + "\"");
    }

    private static int runOnce(CniInstaller installer, Options options, PrintStream out, PrintStream err) {
        try {
            List<InstallAction> actions = installer.installOnce();
            warnUnknownSkips(installer, options, err);
            actions.forEach(a -> out.println("install-cni: " + a.reportLine()));
            out.println("install-cni: " + summary(actions, installer.target()));
            return 0;
        } catch (InstallException e) {
            err.println("install-cni: " + e.getMessage());
            return 1;
        }
    }

    private static int watch(CniInstaller installer, Options options, PrintStream out, PrintStream err) {
        Duration interval = Duration.ofSeconds(options.watchSeconds());
        WatchStatus status = new WatchStatus(interval, Clock.systemUTC());
        HealthEndpoint endpoint = null;
        if (options.healthPort() > 0) {
            try {
                endpoint = HealthEndpoint.start(options.healthPort(), status);
            } catch (IOException e) {
                err.println("install-cni: cannot serve health on port " + options.healthPort() + ": " + e.getMessage());
                return 1;
            }
            out.println("install-cni: health on http://0.0.0.0:" + endpoint.port() + "/healthz");
        }
        out.println("install-cni: watching " + installer.target() + ", re-checking every " + options.watchSeconds() + "s");
        boolean first = true;
        String lastError = null;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    List<InstallAction> actions = installer.installOnce();
                    if (first) {
                        warnUnknownSkips(installer, options, err);
                    }
                    for (InstallAction action : actions) {
                        if (first || action.outcome().wrote()) {
                            out.println("install-cni: " + action.reportLine());
                        }
                    }
                    String summary = summary(actions, installer.target());
                    if (first || lastError != null || actions.stream().anyMatch(a -> a.outcome().wrote())) {
                        out.println("install-cni: " + summary);
                    }
                    status.succeeded(summary);
                    first = false;
                    lastError = null;
                } catch (InstallException e) {
                    if (!e.getMessage().equals(lastError)) {
                        err.println("install-cni: " + e.getMessage() + " (retrying every " + options.watchSeconds() + "s)");
                    }
                    lastError = e.getMessage();
                    status.failed(e.getMessage());
                }
                out.flush();
                Thread.sleep(interval.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (endpoint != null) {
                endpoint.close();
            }
        }
        return 0;
    }

    private static void warnUnknownSkips(CniInstaller installer, Options options, PrintStream err) throws InstallException {
        List<String> plugins = installer.plugins();
        for (String name : options.skipExisting()) {
            if (!plugins.contains(name)) {
                err.println("install-cni: warning: --skip-existing " + name + " names no plugin of " + installer.source()
                        + " (plugins: " + String.join(", ", plugins) + ")");
            }
        }
    }

    static String summary(List<InstallAction> actions, Path target) {
        Map<InstallOutcome, Integer> counts = new EnumMap<>(InstallOutcome.class);
        for (InstallOutcome outcome : InstallOutcome.values()) {
            counts.put(outcome, 0);
        }
        actions.forEach(a -> counts.merge(a.outcome(), 1, Integer::sum));
        StringBuilder sb = new StringBuilder();
        sb.append(actions.size()).append(actions.size() == 1 ? " plugin in " : " plugins in ").append(target).append(": ");
        String sep = "";
        for (Map.Entry<InstallOutcome, Integer> e : counts.entrySet()) {
            sb.append(sep).append(e.getValue()).append(' ').append(e.getKey().label());
            sep = ", ";
        }
        return sb.toString();
    }
}
