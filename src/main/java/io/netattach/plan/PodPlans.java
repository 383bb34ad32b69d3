package io.netattach.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.netattach.injection.NadInfo;
import io.netattach.injection.NadLookup;
import io.netattach.injection.NetworkSelection;
import io.netattach.injection.NetworksAnnotation;
import io.netattach.injection.PodInjector;
import io.netattach.injection.PodValidator;
import io.netattach.cni.Finding;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The network plan of pods whose NADs come from a {@link NadLookup}: the pod validator's check for
 * conflicts between a pod's networks and with the cluster ({@link PodValidator.NetworksCheck}), and
 * the plan itself for {@code plan}. The cluster networks are read on every call, so that discovery
 * can update them.
 */
public final class PodPlans implements PodValidator.NetworksCheck {

    private final Supplier<ClusterNetworks> cluster;

    public PodPlans(Supplier<ClusterNetworks> cluster) {
        this.cluster = cluster;
    }

    public PodPlans(ClusterNetworks cluster) {
        this(() -> cluster);
    }

    @Override
    public List<Finding> check(List<NetworkSelection> elements, String podNamespace, NadLookup lookup) {
        try {
            return plan(elements, podNamespace, lookup).findings();
        } catch (RuntimeException e) {
            // the plan never decides admission by crashing: say it could not be computed
            return List.of(Finding.warning(NetworksAnnotation.POINTER, "the network plan could not be computed: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())));
        }
    }

    /** The plan of these elements, each NAD's config from {@code lookup}. */
    public NetworkPlan plan(List<NetworkSelection> elements, String podNamespace, NadLookup lookup) {
        return Planner.plan(Planner.attachments(elements, podNamespace, key -> {
            int slash = key.indexOf('/');
            return lookup.find(key.substring(0, slash), key.substring(slash + 1)).map(NadInfo::config).orElse(null);
        }), cluster.get());
    }

    /** The plan of {@code pod}'s networks annotation; empty when it has none or it is malformed. */
    public Optional<NetworkPlan> plan(JsonNode pod, String requestNamespace, NadLookup lookup) {
        JsonNode value = pod.path("metadata").path("annotations").get(NetworksAnnotation.KEY);
        if (value == null || !value.isTextual()) {
            return Optional.empty();
        }
        if (!(NetworksAnnotation.parse(value.asText()) instanceof NetworksAnnotation.Parsed parsed)) {
            return Optional.empty();
        }
        return Optional.of(plan(parsed.elements(), PodInjector.podNamespace(pod, requestNamespace), lookup));
    }
}
