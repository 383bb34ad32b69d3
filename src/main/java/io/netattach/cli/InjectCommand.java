package io.netattach.cli;

import java.io.PrintStream;

/** The {@code inject} command. */
public final class InjectCommand implements Cli.Command {

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        err.println("netattach: command 'inject' is not available in this build yet");
        return 2;
    }
}
