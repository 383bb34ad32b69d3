package io.netattach.cli.install;

import java.nio.file.Path;

/**
 * One line of the {@code install-cni} report.
 *
 * @param plugin  the plugin file name (e.g. {@code macvlan})
 * @param outcome what happened
 * @param target  the file in the target directory
 * @param detail  the reason or checksum, printed after the outcome
 */
public record InstallAction(String plugin, InstallOutcome outcome, Path target, String detail) {

    /** The report line, e.g. {@code installed macvlan -> /host/opt/cni/bin/macvlan (sha256 0123abcd...)}. */
    public String reportLine() {
        return outcome.label() + " " + plugin + " -> " + target + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
