package io.netattach.cli.install;

/** A failure of an install pass, with a one-line message that names the directory or file concerned. */
public final class InstallException extends Exception {

    private static final long serialVersionUID = 1L;

    public InstallException(String message) {
        super(message);
    }

    public InstallException(String message, Throwable cause) {
        super(message, cause);
    }
}
