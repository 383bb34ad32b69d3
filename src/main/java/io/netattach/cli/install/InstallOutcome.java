package io.netattach.cli.install;

/** What {@code install-cni} did with one plugin in one pass. */
public enum InstallOutcome {
    /** The plugin was not in the target directory and has been copied there. */
    INSTALLED,
    /** The target held a different file (content or mode) and has been replaced atomically. */
    UPDATED,
    /** The target already holds the same bytes with mode 0755: nothing written. */
    UNCHANGED,
    /** The target holds a file of that name and {@code --skip-existing NAME} asked to leave it alone. */
    SKIPPED;

    /** The word used in report lines: {@code installed}, {@code updated}, {@code unchanged}, {@code skipped}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether this outcome wrote to the target directory. */
    public boolean wrote() {
        return this == INSTALLED || this == UPDATED;
    }
}
