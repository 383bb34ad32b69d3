package io.netattach.injection;

import io.netattach.cni.Finding;

import java.util.List;

/**
 * What the injector decided for one pod.
 *
 * @param added    the networks it added, in order (empty: nothing to do)
 * @param networks the new {@code k8s.v1.cni.cncf.io/networks} value, null when unchanged
 * @param audit    the new {@code netattach.io/injected-networks} value, null when unchanged
 * @param warnings why matching networks were not injected (admission warnings)
 * @param patch    the minimal JSON Patch turning the pod into the injected pod; empty when unchanged
 */
public record Injection(List<NetworkSelection> added, String networks, String audit, List<Finding> warnings,
                        List<PatchOperation> patch) {

    public Injection {
        added = List.copyOf(added);
        warnings = List.copyOf(warnings);
        patch = List.copyOf(patch);
    }

    static Injection unchanged(List<Finding> warnings) {
        return new Injection(List.of(), null, null, warnings, List.of());
    }

    public boolean changed() {
        return !patch.isEmpty();
    }
}
