package io.netattach.cli;

import java.io.PrintStream;

/** The {@code lint} command. */
public final class LintCommand implements Cli.Command {

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        err.println("netattach: command 'lint' is not available in this build yet");
        return 2;
    }
}
