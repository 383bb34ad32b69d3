package io.netattach.plan;

import io.netattach.injection.NetworkSelection;

/**
 * One network of the pod, as the plan reads it: the annotation element and the {@code spec.config}
 * of the NAD it names.
 *
 * @param element   index in the networks annotation (Multus' attachment order)
 * @param selection the annotation element
 * @param network   the NAD, {@code namespace/name}
 * @param config    the NAD's {@code spec.config}, null when the NAD is unknown (not planned)
 */
public record Attachment(int element, NetworkSelection selection, String network, String config) {
}
