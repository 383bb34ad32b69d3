package io.netattach.cli;

import io.netattach.cli.install.CniInstaller;
import io.netattach.cli.install.HealthEndpoint;
import io.netattach.cli.install.HealthEndpoint.WatchStatus;
import io.netattach.cli.install.InstallAction;
import io.netattach.cli.install.InstallException;
import io.netattach.cli.install.InstallOutcome;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
public final class InstallCniCommand implements Cli.Command {

    /** Where the container image keeps the plugin executables. */
    public static final Path DEFAULT_SOURCE = Path.of("/opt/netattach/cni-bin");
    /** Where the DaemonSet mounts the host CNI directory. */
    public static final Path DEFAULT_TARGET = Path.of("/host/opt/cni/bin");

    static final String USAGE = """
            usage: netattach install-cni [--source DIR] [--target DIR] [--skip-existing NAME]...
                                         [--watch SECONDS [--health-port PORT]]
              --source DIR          plugin executables to install (default /opt/netattach/cni-bin)
              --target DIR          host CNI binary directory (default /host/opt/cni/bin)
              --skip-existing NAME  leave NAME alone when the target already has a file of that name
                                    (repeatable, or comma-separated)
              --watch SECONDS       keep running: re-check every SECONDS, re-install what was removed or changed
              --health-port PORT    with --watch: serve GET /healthz on PORT (200 healthy, 503 not)
            Every copy is atomic (temporary file in the target directory, fsync, chmod 0755, rename);
            files whose SHA-256 already matches are left untouched.
            Exit: 0 done, 1 install failed, 2 usage error.
            """;

    /** Parsed command line. {@code watchSeconds} 0 means one pass; {@code healthPort} -1 means none. */
    record Options(Path source, Path target, Set<String> skipExisting, int watchSeconds, int healthPort) {
    }

    /** A usage error, with its one-line message. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (UsageException e) {
            err.println("install-cni: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (options == null) {
            out.print(USAGE);
            return 0;
        }
        CniInstaller installer = new CniInstaller(options.source(), options.target(), options.skipExisting());
        if (options.watchSeconds() == 0) {
            return runOnce(installer, options, out, err);
        }
        return watch(installer, options, out, err);
    }

    static Options parse(String[] args) throws UsageException {
        Path source = DEFAULT_SOURCE;
        Path target = DEFAULT_TARGET;
        Set<String> skip = new LinkedHashSet<>();
        int watch = 0;
        int healthPort = -1;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--source", "--target", "--skip-existing", "--watch", "--health-port" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "--source" -> source = directory(name, value);
                        case "--target" -> target = directory(name, value);
                        case "--skip-existing" -> {
                            for (String plugin : value.split(",", -1)) {
                                skip.add(pluginName(plugin));
                            }
                        }
                        case "--watch" -> watch = positive(name, value, 86_400);
                        default -> healthPort = positive(name, value, 65_535);
                    }
                }
                default -> throw new UsageException("unknown argument \"" + arg + "\"");
            }
        }
        if (healthPort != -1 && watch == 0) {
            throw new UsageException("--health-port needs --watch (a single pass has nothing to report on)");
        }
        return new Options(source, target, Set.copyOf(skip), watch, healthPort);
    }

    private static Path directory(String option, String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(option + " needs a directory, got \"" + value + "\"");
        }
        return Path.of(value).toAbsolutePath().normalize();
    }

    private static String pluginName(String value) throws UsageException {
        if (value.isEmpty() || value.equals(".") || value.equals("..") || value.contains("/") || value.contains("\\")) {
            throw new UsageException("--skip-existing needs a plugin file name, got \"" + value + "\"");
        }
        return value;
    }

    private static int positive(String option, String value, int max) throws UsageException {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " needs a whole number from 1 to " + max + ", got \"" + value + "\"");
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
