package io.netattach.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The {@code netattach} command line on picocli: the commands, their parsing, help, usage errors and
 * exit codes. Only {@code serve} boots Quarkus (through {@link Server}); the other commands run in a
 * plain JVM. CNI plugin mode never gets here ({@code io.netattach.Launcher} dispatches it first).
 *
 * <p>Exit codes: what the command returns (0 success; lint and inject: 1 errors), 2 on every usage
 * error (unknown command or option, missing or malformed value), 0 for {@code --help}.
 */
@Command(name = "netattach",
        description = "Multus NetworkAttachmentDefinitions made safe and automatic: admission webhook, CLI and CNI plugins.",
        footerHeading = "%n",
        footer = {"Without a command, netattach runs serve.",
                "Run 'netattach COMMAND --help' for the options of a command; 'netattach completion' prints bash completion."})
public final class Cli implements Callable<Integer> {

    /**
     * The commands: one line each. A command is a picocli {@code @Command(name = ...)} class extending
     * {@link CliCommand}; add its constructor here and it gets parsing, {@code --help}, completion and
     * the exit code conventions.
     */
    static final List<Supplier<CliCommand>> COMMANDS = List.of(
            ServeCommand::new,
            LintCommand::new,
            InjectCommand::new,
            InstallCniCommand::new,
            DemoCommand::new,
            PlanCommand::new,
            CompletionCommand::new);

    /** Exit code of every usage error. */
    public static final int USAGE_ERROR = 2;

    /** Boots the webhook server with these configuration properties set (e.g. from {@code serve --nads}); returns its exit code. */
    @FunctionalInterface
    public interface Server {
        int serve(Map<String, String> properties);
    }

    @Spec
    CommandSpec spec;

    private final ServeCommand serve;

    private Cli(ServeCommand serve) {
        this.serve = serve;
    }

    /** No command: {@code serve} with its defaults. */
    @Override
    public Integer call() throws Exception {
        return serve.call();
    }

    /** Runs {@code netattach args...} on stdout/stderr; {@code server} boots the webhook for {@code serve}. */
    public static int run(String[] args, Server server) {
        return run(args, System.out, System.err, server, null);
    }

    /** Runs {@code netattach args...} printing to {@code out}/{@code err}. */
    static int run(String[] args, PrintStream out, PrintStream err, Server server) {
        return run(args, out, err, server, null);
    }

    /** The names of the registered commands, in registration order. */
    public static List<String> commandNames() {
        return COMMANDS.stream().map(f -> f.get().getClass().getAnnotation(Command.class).name()).toList();
    }

    /** Runs {@code netattach name args...} (tests: no server). */
    public static int run(String name, String[] args, PrintStream out, PrintStream err) {
        String[] all = new String[args.length + 1];
        all[0] = name;
        System.arraycopy(args, 0, all, 1, args.length);
        return run(all, out, err, null, null);
    }

    /** Runs {@code command} (already constructed, e.g. with a test's stdin) as {@code netattach NAME args...}. */
    static int run(CliCommand command, String[] args, PrintStream out, PrintStream err) {
        String name = command.getClass().getAnnotation(Command.class).name();
        String[] all = new String[args.length + 1];
        all[0] = name;
        System.arraycopy(args, 0, all, 1, args.length);
        return run(all, out, err, null, command);
    }

    private static int run(String[] args, PrintStream out, PrintStream err, Server server, CliCommand given) {
        if (given == null && server != null && plainServe(args)) {
            return serveNow(server, out, err);
        }
        CommandLine commandLine = commandLine(out, err, server, given, servesOnly(args) && given == null);
        try {
            return commandLine.execute(args);
        } finally {
            commandLine.getOut().flush();
            commandLine.getErr().flush();
            out.flush();
            err.flush();
        }
    }

    /**
     * Whether {@code args} run the server ({@code serve ...} or no command). The server starts on every
     * rollout and drain: its command line holds {@code serve} alone, so that picocli models none of the
     * other commands (their options, converters and the classes behind them) on the way to a ready server.
     * Everything else (help, completion, unknown commands) gets the whole tree.
     */
    static boolean servesOnly(String[] args) {
        return args.length == 0 || args[0].equals(ServeCommand.NAME);
    }

    /**
     * Whether {@code args} are no command or {@code serve} without options: what bin/netattach, the
     * images and every rollout run. Those start the server without building any picocli model (its
     * reflection over the commands runs interpreted at start: tens of milliseconds on one CPU).
     */
    static boolean plainServe(String[] args) {
        return args.length == 0 || (args.length == 1 && args[0].equals(ServeCommand.NAME));
    }

    /** {@link ServeCommand} with its defaults, run without picocli; an unexpected exception is reported as picocli's handler does. */
    private static int serveNow(Server server, PrintStream out, PrintStream err) {
        ServeCommand serve = new ServeCommand();
        serve.streams(out, err);
        serve.server = server;
        try {
            return serve.call();
        } catch (RuntimeException e) {
            err.println(internalError("netattach " + ServeCommand.NAME, e));
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The line for an unexpected exception in command {@code qualifiedName} (exit status 1). */
    private static String internalError(String qualifiedName, Exception e) {
        return qualifiedName + ": internal error: " + e;
    }

    /**
     * The command tree printing to {@code out}/{@code err}, or with {@code serveOnly} the root and
     * {@code serve} alone ({@link #servesOnly}); {@code given} replaces the default instance of its class.
     */
    static CommandLine commandLine(PrintStream out, PrintStream err, Server server, CliCommand given,
            boolean serveOnly) {
        List<CliCommand> commands = new ArrayList<>();
        for (Supplier<CliCommand> factory : serveOnly ? List.<Supplier<CliCommand>>of(ServeCommand::new) : COMMANDS) {
            CliCommand command = factory.get();
            commands.add(given != null && given.getClass() == command.getClass() ? given : command);
        }
        ServeCommand serve = null;
        for (CliCommand command : commands) {
            command.streams(out, err);
            if (command instanceof ServeCommand s) {
                s.server = server;
                serve = s;
            }
        }
        CommandLine root = new CommandLine(new Cli(serve));
        for (CliCommand command : commands) {
            root.addSubcommand(command);
        }
        root.addSubcommand(new CommandLine.HelpCommand());
        root.setOut(new PrintWriter(out, true));
        root.setErr(new PrintWriter(err, true));
        root.setUsageHelpWidth(100);
        root.setParameterExceptionHandler(Cli::usageError);
        root.setExecutionExceptionHandler((e, cl, parsed) -> {
            cl.getErr().println(internalError(cl.getCommandSpec().qualifiedName(), e));
            return 1;
        });
        decorate(root);
        return root;
    }

    /** Every command: {@code -h}/{@code --help}, "usage:" heading, exit status section. */
    private static void decorate(CommandLine commandLine) {
        CommandSpec spec = commandLine.getCommandSpec();
        if (spec.findOption("--help") == null) {
            spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help and exit.").build());
        }
        spec.usageMessage().synopsisHeading("usage: ").sortOptions(false);
        if (spec.usageMessage().exitCodeList().isEmpty() && !(spec.userObject() instanceof CommandLine.HelpCommand)) {
            spec.usageMessage().exitCodeListHeading("Exit status:%n")
                    .exitCodeList(Map.of("  0", "success", "  2", "usage error"));
        }
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            decorate(sub);
        }
    }

    /** A usage error: one line naming the command, suggestions, the usage on stderr; exit 2. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException unmatched && commandLine.getCommandSpec().parent() == null
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().getFirst().startsWith("-")) {
            message = "unknown command '" + unmatched.getUnmatched().getFirst() + "'";
        }
        err.println(commandLine.getCommandSpec().qualifiedName() + ": " + message);
        UnmatchedArgumentException.printSuggestions(e, err);
        commandLine.usage(err);
        err.flush();
        return USAGE_ERROR;
    }
}
