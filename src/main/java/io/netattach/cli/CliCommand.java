package io.netattach.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * A command of the {@code netattach} command line: a picocli {@code @Command} whose annotated fields
 * are its options and parameters, and whose {@link #call()} does the work and returns the exit code.
 * {@link Cli} registers it and gives it {@code -h}/{@code --help}; {@link #out} and {@link #err} are
 * the streams it prints to (stdout and stderr, or the test's).
 */
@Command
public abstract class CliCommand implements Callable<Integer> {

    /** The parsed command (picocli fills it in). */
    @Spec
    protected CommandSpec spec;

    /** Where the command prints its result. */
    protected PrintStream out = System.out;
    /** Where the command prints findings, problems and summaries. */
    protected PrintStream err = System.err;

    final void streams(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Runs this command with {@code args} (the arguments after its name) as {@code netattach NAME args}
     * would, printing to {@code out} and {@code err}; returns the exit code.
     */
    public final int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.run(this, args, out, err);
    }

    /** A usage error of this command: printed with the command's usage, exit code 2. */
    protected final ParameterException usageError(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
