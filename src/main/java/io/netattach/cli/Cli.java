package io.netattach.cli;

import java.io.PrintStream;
import java.util.Map;

/** Dispatch of the command-line commands that run without the webhook server. */
public final class Cli {

    /** A CLI command: arguments after the command name in, exit code out. */
    @FunctionalInterface
    public interface Command {
        int run(String[] args, PrintStream out, PrintStream err);
    }

    /** One line per command; each command lives in its own class. */
    private static final Map<String, Command> COMMANDS = Map.of(
            "lint", new LintCommand(),
            "inject", new InjectCommand(),
            "install-cni", new InstallCniCommand(),
            "demo", new DemoCommand(),
            "plan", new PlanCommand());

    private Cli() {
    }

    public static boolean isCommand(String name) {
        return COMMANDS.containsKey(name) || name.equals("help") || name.equals("--help") || name.equals("-h");
    }

    public static int run(String name, String[] args) {
        return run(name, args, System.out, System.err);
    }

    public static int run(String name, String[] args, PrintStream out, PrintStream err) {
        Command command = COMMANDS.get(name);
        if (command == null) {
            out.print(usage());
            return name.equals("help") || name.equals("--help") || name.equals("-h") ? 0 : 2;
        }
        return command.run(args, out, err);
    }

    public static String usage() {
        return """
                usage: netattach [COMMAND] [ARGS]
                  serve (default)                      run the admission webhook (HTTPS, port 8443)
                  lint [--format text|json] PATH...    validate NetworkAttachmentDefinition manifests
                  inject --nads PATH... POD_FILE       print the pod as the mutating webhook returns it
                  install-cni [OPTIONS]                copy the bundled CNI plugins into a host directory
                  demo                                 (root) run the seed scenario in network namespaces
                  plan --nads PATH... POD_FILE         predict the pod's interfaces and routes, report conflicts
                """;
    }

    private static int notYet(String name, PrintStream err) {
        err.println("netattach: command '" + name + "' is not available in this build");
        return 2;
    }
}
