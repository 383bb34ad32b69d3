package io.netattach.injection;

import com.fasterxml.jackson.databind.JsonNode;
import io.netattach.cni.Json;
import io.netattach.cni.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Validation of a pod's {@code k8s.v1.cni.cncf.io/networks} annotation at admission. Pure and
 * thread-safe. Errors deny the pod; warnings are returned as admission warnings.
 *
 * <ul>
 *   <li>malformed value: error, with Multus' reason;</li>
 *   <li>codec checks ({@link NetworksAnnotation#validate}): DNS-1123 names, interface names (valid,
 *       not {@code eth0}, unique), {@code ips}, {@code mac}, one default route per family: errors;</li>
 *   <li>a NAD missing from the catalog: error, or warning with {@link MissingNad#WARN} (only for
 *       namespaces the catalog {@linkplain NadLookup#covers covers});</li>
 *   <li>a NAD in another namespace: warning (Multus {@code namespaceIsolation} refuses it);</li>
 *   <li>a NAD with {@code static} IPAM attached by a pod of a multi-replica owner (ReplicaSet,
 *       StatefulSet, DaemonSet, Job) without per-pod {@code ips} (or with {@code ips} that the NAD's
 *       plugin cannot receive because it lacks {@code capabilities: {"ips": true}}): warning, since
 *       every replica would get the same address;</li>
 *   <li>the findings of further {@link NetworksCheck}s over the parsed elements (the network plan:
 *       conflicts between the pod's networks and with the cluster).</li>
 * </ul>
 */
public final class PodValidator {

    /** What a reference to a NAD the catalog does not have does ({@code netattach.pods.missing-nad}). */
    public enum MissingNad { DENY, WARN }

    /** Owner kinds whose pods come in numbers. */
    public static final Set<String> MULTI_REPLICA_OWNERS = Set.of("ReplicaSet", "StatefulSet", "DaemonSet", "Job");

    /**
     * A further check of a pod's well-formed networks annotation: its elements, the pod's namespace
     * and the lookup in, findings (paths into the pod) out. Must not throw.
     */
    @FunctionalInterface
    public interface NetworksCheck {
        List<Finding> check(List<NetworkSelection> elements, String podNamespace, NadLookup lookup);
    }

    private final NadLookup lookup;
    private final MissingNad missingNad;
    private final List<NetworksCheck> checks;

    public PodValidator(NadLookup lookup, MissingNad missingNad) {
        this(lookup, missingNad, List.of());
    }

    public PodValidator(NadLookup lookup, MissingNad missingNad, List<NetworksCheck> checks) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.missingNad = Objects.requireNonNull(missingNad, "missingNad");
        this.checks = List.copyOf(checks);
    }

    /** All findings for {@code pod}; never throws. */
    public List<Finding> validate(JsonNode pod, String requestNamespace) {
        JsonNode metadata = pod == null ? null : pod.get("metadata");
        JsonNode annotations = metadata == null ? null : metadata.get("annotations");
        JsonNode value = annotations != null && annotations.isObject() ? annotations.get(NetworksAnnotation.KEY) : null;
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isTextual()) {
            return List.of(Finding.error(NetworksAnnotation.POINTER,
                    NetworksAnnotation.KEY + " must be a string, got " + value.getNodeType().name().toLowerCase()));
        }
        NetworksAnnotation.ParseResult result = NetworksAnnotation.parse(value.asText());
        if (result instanceof NetworksAnnotation.Malformed malformed) {
            return malformed.errors();
        }
        NetworksAnnotation.Parsed parsed = (NetworksAnnotation.Parsed) result;
        List<Finding> findings = new ArrayList<>(parsed.warnings());
        findings.addAll(NetworksAnnotation.validate(parsed.elements()));

        String namespace = PodInjector.podNamespace(pod, requestNamespace);
        Optional<String> owner = multiReplicaOwner(metadata);
        List<NetworkSelection> elements = parsed.elements();
        for (int i = 0; i < elements.size(); i++) {
            NetworkSelection e = elements.get(i);
            String at = NetworksAnnotation.POINTER + "/" + i;
            String nadNamespace = e.namespaceOr(namespace);
            if (!nadNamespace.equals(namespace)) {
                findings.add(Finding.warning(at + "/namespace", "network " + nadNamespace + "/" + e.name()
                        + " is not in the pod's namespace: Multus namespaceIsolation refuses it"));
            }
            if (!NetworksAnnotation.isDns1123Label(e.name()) || !NetworksAnnotation.isDns1123Label(nadNamespace)) {
                continue; // already an error; no lookup of an impossible name
            }
            Optional<NadInfo> nad = lookup.find(nadNamespace, e.name());
            if (nad.isEmpty()) {
                if (lookup.covers(nadNamespace)) {
                    String message = "NetworkAttachmentDefinition " + nadNamespace + "/" + e.name()
                            + " does not exist (element " + i + "): Multus would fail the pod";
                    findings.add(missingNad == MissingNad.DENY ? Finding.error(at + "/name", message) : Finding.warning(at + "/name", message));
                }
                continue;
            }
            NadInfo info = nad.get();
            if (info.staticIpam() && owner.isPresent()) {
                boolean hasIps = NetworksAnnotation.stringList(e.fields(), "ips").map(l -> !l.isEmpty()).orElse(false);
                String addresses = info.staticAddresses().isEmpty() ? "" : " (" + String.join(", ", info.staticAddresses()) + ")";
                if (!hasIps) {
                    findings.add(Finding.warning(at, "static IPAM of " + info.key() + " gives every replica of " + owner.get()
                            + " the same address" + addresses + "; set per-pod \"ips\" or use a pool IPAM"));
                } else if (!info.staticIpsCapability()) {
                    findings.add(Finding.warning(at + "/ips", "\"ips\" ignored: the static IPAM plugin of " + info.key()
                            + " lacks capabilities {\"ips\": true}; every replica of " + owner.get() + " gets the same address" + addresses));
                }
            }
        }
        for (NetworksCheck check : checks) {
            findings.addAll(check.check(elements, namespace, lookup));
        }
        return findings;
    }

    /** {@code Kind/name} of the first multi-replica owner reference, if any. */
    static Optional<String> multiReplicaOwner(JsonNode metadata) {
        JsonNode owners = metadata == null ? null : metadata.get("ownerReferences");
        if (owners == null || !owners.isArray()) {
            return Optional.empty();
        }
        for (JsonNode owner : owners) {
            String kind = owner.path("kind").asText("");
            if (MULTI_REPLICA_OWNERS.contains(kind)) {
                return Optional.of(kind + " " + owner.path("name").asText("?"));
            }
        }
        return Optional.empty();
    }
}
