package io.netattach.injection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netattach.cni.Json;
import io.netattach.cni.Finding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The mutating decision for a pod: which NADs of the pod's namespace select it, merged into its
 * networks annotation, and the minimal JSON Patch that says so. Pure and thread-safe.
 *
 * <p>Rules:
 * <ul>
 *   <li>Pods labelled {@code netattach.io/inject=disabled} are left alone. The namespace opt-in
 *       ({@code netattach.io/injection=enabled}) is the MutatingWebhookConfiguration's
 *       {@code namespaceSelector}: this class does not look at namespaces' labels.</li>
 *   <li>Candidates are the NADs of the pod's namespace whose {@code netattach.io/inject-selector}
 *       matches the pod's labels, in {@code netattach.io/inject-order} order (absent last), then name.</li>
 *   <li>Existing elements stay, in their order and with all their fields. A candidate is skipped when
 *       an element already names the same NAD (namespace absent or the pod's), whatever interface that
 *       element requests (or none): one NAD attached twice builds a pod that Multus fails (two
 *       interfaces with the same routes, or the same static address). A candidate whose interface is already taken
 *       (counting the {@code net<N>} names Multus gives elements without one) is skipped with a warning.</li>
 *   <li>Injected elements are {@code {"name": NAD, "interface": IF}}: never a namespace, because
 *       injected NADs always live in the pod's namespace.</li>
 *   <li>A malformed annotation is never touched (pod validation denies it).</li>
 *   <li>The patch sets only the networks annotation and {@code netattach.io/injected-networks}; it adds
 *       the annotations map with just those two keys when the pod has none. Running the injector on
 *       its own output changes nothing.</li>
 * </ul>
 */
public final class PodInjector {

    public static final String INJECT_LABEL = "netattach.io/inject";
    public static final String AUDIT_ANNOTATION = "netattach.io/injected-networks";
    public static final String AUDIT_POINTER = "/metadata/annotations/" + Finding.escape(AUDIT_ANNOTATION);

    private final NadLookup lookup;

    public PodInjector(NadLookup lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /**
     * Decides for {@code pod}.
     *
     * @param requestNamespace the AdmissionReview's {@code request.namespace} (authoritative); null or
     *                         empty to use {@code metadata.namespace}, then {@code default}
     */
    public Injection inject(JsonNode pod, String requestNamespace) {
        JsonNode metadata = pod == null ? null : pod.get("metadata");
        Map<String, String> labels = labels(metadata);
        if ("disabled".equals(labels.get(INJECT_LABEL))) {
            return Injection.unchanged(List.of());
        }
        String namespace = podNamespace(pod, requestNamespace);
        List<NadInfo> candidates = lookup.namespace(namespace).matching(labels);
        if (candidates.isEmpty()) {
            return Injection.unchanged(List.of());
        }

        JsonNode annotations = metadata == null ? null : metadata.get("annotations");
        boolean hasMap = annotations != null && annotations.isObject();
        JsonNode current = hasMap ? annotations.get(NetworksAnnotation.KEY) : null;
        if (current != null && !current.isTextual() && !current.isNull()) {
            return Injection.unchanged(List.of(Finding.warning(NetworksAnnotation.POINTER,
                    "not injecting " + names(candidates) + ": " + NetworksAnnotation.KEY + " must be a string, got " + current.getNodeType().name().toLowerCase())));
        }
        NetworksAnnotation.ParseResult parsed = NetworksAnnotation.parse(current == null || current.isNull() ? "" : current.asText());
        if (parsed instanceof NetworksAnnotation.Malformed malformed) {
            return Injection.unchanged(List.of(Finding.warning(NetworksAnnotation.POINTER,
                    "not injecting " + names(candidates) + ": the pod's " + NetworksAnnotation.KEY + " is malformed: " + malformed.reason())));
        }
        List<NetworkSelection> elements = new ArrayList<>(((NetworksAnnotation.Parsed) parsed).elements());
        Map<String, Integer> taken = new HashMap<>();
        for (int i = 0; i < elements.size(); i++) {
            taken.putIfAbsent(NetworksAnnotation.effectiveInterface(elements.get(i), i), i);
        }

        List<NetworkSelection> added = new ArrayList<>();
        List<Finding> warnings = new ArrayList<>();
        for (NadInfo nad : candidates) {
            if (alreadyRequested(elements, nad, namespace)) {
                continue;
            }
            String effective = nad.interfaceName() != null ? nad.interfaceName() : "net" + (elements.size() + 1);
            Integer holder = taken.get(effective);
            if (holder != null) {
                NetworkSelection other = elements.get(holder);
                warnings.add(Finding.warning(NetworksAnnotation.POINTER + "/" + holder,
                        "network " + nad.name() + " not injected: interface " + Json.quote(effective)
                                + " is already used by element " + holder + " (" + other.shortForm() + ")"));
                continue;
            }
            NetworkSelection element = NetworkSelection.of(nad.name(), nad.interfaceName());
            taken.put(effective, elements.size());
            elements.add(element);
            added.add(element);
        }
        if (added.isEmpty()) {
            return Injection.unchanged(warnings);
        }

        String networks = NetworksAnnotation.render(elements);
        JsonNode currentAudit = hasMap ? annotations.get(AUDIT_ANNOTATION) : null;
        String audit = auditValue(currentAudit != null && currentAudit.isTextual() ? currentAudit.asText() : "", added);

        List<PatchOperation> patch = new ArrayList<>(2);
        if (metadata == null || !metadata.isObject()) {
            ObjectNode meta = JsonNodeFactory.instance.objectNode();
            meta.set("annotations", annotationMap(networks, audit));
            patch.add(new PatchOperation("add", "/metadata", meta));
        } else if (!hasMap) {
            // absent or null: add the map with just our keys (there is nothing to lose)
            patch.add(new PatchOperation("add", "/metadata/annotations", annotationMap(networks, audit)));
        } else {
            patch.add(new PatchOperation(annotations.has(NetworksAnnotation.KEY) ? "replace" : "add",
                    NetworksAnnotation.POINTER, TextNode.valueOf(networks)));
            if (currentAudit == null || !audit.equals(currentAudit.asText())) {
                patch.add(new PatchOperation(annotations.has(AUDIT_ANNOTATION) ? "replace" : "add",
                        AUDIT_POINTER, TextNode.valueOf(audit)));
            }
        }
        return new Injection(added, networks, audit, warnings, patch);
    }

    /** The namespace that counts for {@code pod}: the request's, else the object's, else {@code default}. */
    public static String podNamespace(JsonNode pod, String requestNamespace) {
        if (requestNamespace != null && !requestNamespace.isEmpty()) {
            return requestNamespace;
        }
        JsonNode ns = pod == null ? null : pod.path("metadata").get("namespace");
        return ns != null && ns.isTextual() && !ns.asText().isEmpty() ? ns.asText() : "default";
    }

    /** The pod's labels (string values only). */
    public static Map<String, String> labels(JsonNode metadata) {
        JsonNode labels = metadata == null ? null : metadata.get("labels");
        if (labels == null || !labels.isObject() || labels.isEmpty()) {
            return Map.of();
        }
        Map<String, String> map = new HashMap<>(labels.size() * 2);
        for (Map.Entry<String, JsonNode> e : labels.properties()) {
            if (e.getValue().isTextual()) {
                map.put(e.getKey(), e.getValue().asText());
            }
        }
        return map;
    }

    private static boolean alreadyRequested(List<NetworkSelection> elements, NadInfo nad, String podNamespace) {
        for (NetworkSelection e : elements) {
            // any interface: the same NAD twice in one pod gives Multus two interfaces with the same
            // routes (and, with static IPAM, the same addresses), and its ADD then fails "file exists"
            if (e.name().equals(nad.name()) && e.namespaceOr(podNamespace).equals(nad.namespace())) {
                return true;
            }
        }
        return false;
    }

    /** The audit value: the previous entries, then the added ones in comma form ({@code name@interface}). */
    static String auditValue(String previous, List<NetworkSelection> added) {
        Set<String> entries = new LinkedHashSet<>();
        for (String item : previous.split(",")) {
            if (!item.isBlank()) {
                entries.add(item.strip());
            }
        }
        for (NetworkSelection e : added) {
            entries.add(e.shortForm());
        }
        return String.join(",", entries);
    }

    private static ObjectNode annotationMap(String networks, String audit) {
        ObjectNode map = JsonNodeFactory.instance.objectNode();
        map.put(NetworksAnnotation.KEY, networks);
        map.put(AUDIT_ANNOTATION, audit);
        return map;
    }

    private static String names(List<NadInfo> nads) {
        return String.join(", ", nads.stream().map(NadInfo::name).toList());
    }
}
