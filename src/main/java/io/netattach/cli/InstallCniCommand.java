package io.netattach.cli;

import java.io.PrintStream;

/** The {@code install-cni} command. */
public final class InstallCniCommand implements Cli.Command {

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        err.println("netattach: command 'install-cni' is not available in this build yet");
        return 2;
    }
}
