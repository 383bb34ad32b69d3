package io.netattach.cli;

import java.io.PrintStream;

/** The {@code demo} command. */
public final class DemoCommand implements Cli.Command {

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        err.println("netattach: command 'demo' is not available in this build yet");
        return 2;
    }
}
