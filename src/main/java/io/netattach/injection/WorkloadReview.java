package io.netattach.injection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netattach.cni.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The pod rules applied to the pod template of a workload, so that what the pods' controller would
 * hear (and drop) reaches the person who writes the workload. Pure and thread-safe.
 *
 * <p>The template becomes the pod its controller would create: the template's labels, annotations
 * and spec, the workload's namespace, and an owner reference of the kind that owns such pods
 * (ReplicaSet for a Deployment, Job for a CronJob), so that the multi-replica rules apply. With the
 * injection preview, {@link PodInjector} runs on it first (what the mutating webhook would add in an
 * opted-in namespace) and the rules see the result; the preview itself is reported too.
 *
 * <p>Every finding comes back as a warning (a workload is never refused for what its pods would
 * be): a pod-rule error is a warning that says the pods would be refused. Paths point into the
 * workload ({@code /spec/template/metadata/annotations/...}; for a CronJob
 * {@code /spec/jobTemplate/spec/template/...}).
 */
public final class WorkloadReview {

    /**
     * A workload kind with a pod template.
     *
     * @param group       API group ({@code apps}, {@code batch})
     * @param kind        the workload's kind
     * @param pointer     JSON Pointer of the pod template in the workload
     * @param podOwnerKind the kind that owns the pods (what {@link PodValidator} sees in ownerReferences)
     */
    public record Kind(String group, String kind, String pointer, String podOwnerKind) {
    }

    /** The workloads whose pod templates are reviewed. */
    public static final List<Kind> KINDS = List.of(
            new Kind("apps", "Deployment", "/spec/template", "ReplicaSet"),
            new Kind("apps", "ReplicaSet", "/spec/template", "ReplicaSet"),
            new Kind("apps", "StatefulSet", "/spec/template", "StatefulSet"),
            new Kind("apps", "DaemonSet", "/spec/template", "DaemonSet"),
            new Kind("batch", "Job", "/spec/template", "Job"),
            new Kind("batch", "CronJob", "/spec/jobTemplate/spec/template", "Job"));

    private final PodInjector injector;
    private final PodValidator validator;

    public WorkloadReview(NadLookup lookup, PodValidator.MissingNad missingNad) {
        Objects.requireNonNull(lookup, "lookup");
        this.injector = new PodInjector(lookup);
        this.validator = new PodValidator(lookup, missingNad);
    }

    /** The reviewed kind for {@code group}/{@code kind}, if it is one. */
    public static Optional<Kind> kind(String group, String kind) {
        return KINDS.stream().filter(k -> k.group().equals(group) && k.kind().equals(kind)).findFirst();
    }

    /**
     * The warnings for {@code workload} of {@code kind} in {@code namespace}; never throws. A workload
     * without a pod template (an object the API server will refuse anyway) yields nothing.
     *
     * @param injectionPreview whether the namespace is opted in to injection (the webhook entry that
     *                         calls says so): the template's pods then get the injector's networks
     */
    public List<Finding> review(JsonNode workload, Kind kind, String namespace, boolean injectionPreview) {
        JsonNode template = workload == null ? null : workload.at(kind.pointer());
        if (template == null || !template.isObject()) {
            return List.of();
        }
        String name = workload.path("metadata").path("name").asText("");
        if (name.isEmpty()) {
            name = workload.path("metadata").path("generateName").asText("") + "*";
        }
        String ns = PodInjector.podNamespace(workload, namespace);
        ObjectNode pod = pod(template, ns, kind, name);
        List<Finding> findings = new ArrayList<>();
        String annotationsAt = kind.pointer() + "/metadata/annotations";
        if (injectionPreview) {
            Injection injection = injector.inject(pod, ns);
            for (Finding w : injection.warnings()) {
                findings.add(Finding.warning(into(kind, w.path()), "pods of " + kind.kind() + " " + name + ": " + w.message()));
            }
            if (injection.changed()) {
                ObjectNode metadata = (ObjectNode) pod.get("metadata");
                JsonNode annotations = metadata.get("annotations");
                ObjectNode map = annotations instanceof ObjectNode o ? o : metadata.putObject("annotations");
                map.put(NetworksAnnotation.KEY, injection.networks());
                findings.add(Finding.warning(annotationsAt, "pods of " + kind.kind() + " " + name + " get "
                        + String.join(", ", injection.added().stream().map(NetworkSelection::shortForm).toList())
                        + " injected (namespace " + ns + " is opted in to injection)"));
            }
        }
        for (Finding f : validator.validate(pod, ns)) {
            String message = f.isError()
                    ? "pods of " + kind.kind() + " " + name + " would be refused: " + f.message()
                    : f.message();
            findings.add(Finding.warning(into(kind, f.path()), message));
        }
        return findings;
    }

    /** A pod path ({@code /metadata/...}) as a path into the workload. */
    private static String into(Kind kind, String podPath) {
        return kind.pointer() + (podPath == null ? "" : podPath);
    }

    /** The pod the template's controller would create, as far as the pod rules look. */
    private static ObjectNode pod(JsonNode template, String namespace, Kind kind, String workloadName) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode pod = f.objectNode();
        pod.put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode metadata = pod.putObject("metadata");
        metadata.put("namespace", namespace);
        JsonNode templateMeta = template.path("metadata");
        if (templateMeta.path("labels").isObject()) {
            metadata.set("labels", templateMeta.get("labels").deepCopy());
        }
        if (templateMeta.path("annotations").isObject()) {
            metadata.set("annotations", templateMeta.get("annotations").deepCopy());
        }
        String owner = kind.podOwnerKind().equals(kind.kind()) ? workloadName : "of " + kind.kind() + " " + workloadName;
        metadata.putArray("ownerReferences").addObject()
                .put("kind", kind.podOwnerKind()).put("name", owner).put("controller", true);
        if (template.path("spec").isObject()) {
            pod.set("spec", template.get("spec").deepCopy());
        }
        return pod;
    }
}
