package io.netattach.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.netattach.cni.Finding;
import io.netattach.injection.NadInfo;
import io.netattach.validation.NadValidator;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a NetworkAttachmentDefinition's review reports, in one place for the NAD webhook and
 * {@code lint}, so that {@code lint} passes exactly what the webhook admits: the validator's findings,
 * the problems of its {@code netattach.io/*} injection annotations, and its network plan (against the
 * cluster's networks, in its own chain, and static addresses shared on one segment). The config is
 * parsed once, by the validator, and the plan reads that parse. Pure; never throws.
 */
public final class NadReview {

    private NadReview() {
    }

    /**
     * The findings of {@code nad}, in this order: validator, annotations, plan.
     *
     * @param namespace the NAD's namespace when its metadata has none (the request's, at admission)
     * @param cluster   the cluster's networks ({@link ClusterNetworks#NONE} when unknown: in-chain checks only)
     * @param segments  the static addresses of the other NADs by master and VLAN; null for none
     */
    public static List<Finding> findings(NadValidator validator, JsonNode nad, String namespace, ClusterNetworks cluster,
                                         SegmentIndex segments) {
        NadValidator.Validated validated = validator.validateParsed(nad);
        List<Finding> findings = new ArrayList<>(validated.findings());
        findings.addAll(NadInfo.annotationFindings(nad));
        String ns = nad == null ? namespace : nad.path("metadata").path("namespace").asText(namespace);
        findings.addAll(NadPlans.admission(nad, validated.config(), cluster, ns, segments));
        return findings;
    }

    /**
     * The findings of a bare CNI config file ({@code lint} of a .conf or .conflist): the validator's and its
     * plan's (in its own chain, against {@code cluster}), with paths into the config ({@code /plugins/1/addroutes/0}).
     */
    public static List<Finding> cniConfigFindings(NadValidator validator, String configText, ClusterNetworks cluster) {
        NadValidator.Validated validated = validator.validateCniConfigParsed(configText);
        if (validated.config() == null) {
            return validated.findings();
        }
        List<Finding> findings = new ArrayList<>(validated.findings());
        findings.addAll(NadPlans.config(configText, validated.config(), cluster));
        return findings;
    }
}
