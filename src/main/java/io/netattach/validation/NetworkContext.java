package io.netattach.validation;

import io.netattach.cni.CniVersion;

import java.util.Optional;

/**
 * What the rules of one plugin need to know about the network config around it.
 *
 * @param version  the effective cniVersion (0.1.0 when missing); empty when it is invalid
 * @param options  the validator's switches
 * @param pluginCount number of plugins in the chain (1 for a single-plugin config)
 */
record NetworkContext(Optional<CniVersion> version, ValidationOptions options, int pluginCount) {

    /** Whether the version is known and older than {@code v}. */
    boolean olderThan(CniVersion v) {
        return version.isPresent() && !version.get().atLeast(v);
    }
}
