package io.netattach.plan;

import io.netattach.cni.JsonValue;
import io.netattach.injection.NetworkSelection;

/**
 * One network of the pod, as the plan reads it: the annotation element and the {@code spec.config}
 * of the NAD it names.
 *
 * @param element   index in the networks annotation (Multus' attachment order)
 * @param selection the annotation element
 * @param network   the NAD, {@code namespace/name}
 * @param config    the NAD's {@code spec.config}, null when the NAD is unknown (not planned)
 * @param parsed    {@code config} already parsed (by the NAD validator, at admission), or null: the plan parses it
 */
public record Attachment(int element, NetworkSelection selection, String network, String config, JsonValue parsed) {

    /** The plan parses {@code config} itself. */
    public Attachment(int element, NetworkSelection selection, String network, String config) {
        this(element, selection, network, config, null);
    }
}
