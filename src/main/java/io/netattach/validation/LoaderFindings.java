package io.netattach.validation;

import io.netattach.cni.Finding;
import io.netattach.cni.Findings;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reports what a bundled plugin's config loader ({@code io.netattach.cni.conf}) says about a plugin: its
 * findings, under the plugin's path in the NAD. A finding the generic checks already made (the same
 * severity, path and message, e.g. {@code ipam must be an object}) is not repeated.
 */
final class LoaderFindings {

    private LoaderFindings() {
    }

    static void report(String pluginPath, List<Finding> findings, Findings out) {
        Set<Finding> seen = new HashSet<>(out.list());
        for (Finding f : findings) {
            Finding located = new Finding(f.severity(), pluginPath + f.path(), f.message());
            if (seen.add(located)) {
                out.add(located.severity(), located.path(), located.message());
            }
        }
    }
}
