package io.netattach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.zjsonpatch.JsonPatch;
import io.netattach.injection.Injection;
import io.netattach.injection.NadInfo;
import io.netattach.injection.NadLookup;
import io.netattach.injection.PatchOperation;
import io.netattach.injection.PodInjector;
import io.netattach.injection.PodValidator;
import io.netattach.validation.Finding;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code inject} command: prints the pod as {@code POST /mutate/pods} would return it (YAML on
 * stdout), with the mutating warnings and the {@code /validate/pods} findings of the result on
 * stderr as {@code FILE:DOC: SEVERITY path: message}. Same exit codes as {@code lint}.
 *
 * <p>Besides Pods, POD_FILE may hold workloads with a pod template (Deployment, ReplicaSet,
 * StatefulSet, DaemonSet, Job, CronJob): the template is injected as the webhook would inject each of
 * their pods (owned by a ReplicaSet, StatefulSet, DaemonSet or Job), and the workload is printed.
 * Other documents (Namespaces, NADs, ...) are skipped, so a whole example directory's file can be given.
 */
public final class InjectCommand implements Cli.Command {

    static final String USAGE = """
            usage: netattach inject --nads PATH... [--namespace NS] [--missing-nad deny|warn] POD_FILE
              --nads PATH...      NAD manifests: files or directories (recursive), YAML or JSON; repeatable
              POD_FILE            the last argument: Pods, or workloads with a pod template (Deployment, ReplicaSet,
                                  StatefulSet, DaemonSet, Job, CronJob), YAML or JSON, several documents; - for stdin
              --namespace NS      namespace of objects without metadata.namespace (default: default)
              --missing-nad MODE  a reference to a NAD not given is an error (deny, default) or a warning (warn)
            prints the objects as the mutating webhook returns them (YAML) on stdout, findings on stderr
            exit status: 0 no errors (warnings allowed), 1 errors, 2 usage error or unreadable input
            """;

    private static final String NAD_KIND = "NetworkAttachmentDefinition";

    /** Where a workload kind keeps its pod template, and which owner its pods get. */
    record Template(String pointer, String ownerKind) {
    }

    static final Map<String, Template> WORKLOADS = Map.of(
            "Deployment", new Template("/spec/template", "ReplicaSet"),
            "ReplicaSet", new Template("/spec/template", "ReplicaSet"),
            "StatefulSet", new Template("/spec/template", "StatefulSet"),
            "DaemonSet", new Template("/spec/template", "DaemonSet"),
            "Job", new Template("/spec/template", "Job"),
            "CronJob", new Template("/spec/jobTemplate/spec/template", "Job"));

    private final ManifestReader reader;

    public InjectCommand() {
        this(new ManifestReader());
    }

    public InjectCommand(ManifestReader reader) {
        this.reader = reader;
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        List<String> nadPaths = new ArrayList<>();
        List<String> positional = new ArrayList<>();
        String namespace = null;
        PodValidator.MissingNad missingNad = PodValidator.MissingNad.DENY;
        boolean sawNads = false;
        boolean inNads = false;
        boolean onlyPaths = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (onlyPaths || a.equals("-") || !a.startsWith("-")) {
                (inNads ? nadPaths : positional).add(a);
            } else if (a.equals("--")) {
                onlyPaths = true;
            } else if (a.equals("--nads") || a.startsWith("--nads=")) {
                sawNads = true;
                inNads = true;
                if (a.startsWith("--nads=")) {
                    nadPaths.add(a.substring("--nads=".length()));
                }
            } else if (a.equals("--namespace") || a.equals("-n") || a.startsWith("--namespace=")) {
                namespace = a.startsWith("--namespace=") ? a.substring("--namespace=".length()) : (i + 1 < args.length ? args[++i] : null);
                if (namespace == null || namespace.isEmpty()) {
                    return usage(err, "--namespace needs a value");
                }
                inNads = false;
            } else if (a.equals("--missing-nad") || a.startsWith("--missing-nad=")) {
                String value = a.startsWith("--missing-nad=") ? a.substring("--missing-nad=".length()) : (i + 1 < args.length ? args[++i] : null);
                if ("deny".equals(value)) {
                    missingNad = PodValidator.MissingNad.DENY;
                } else if ("warn".equals(value)) {
                    missingNad = PodValidator.MissingNad.WARN;
                } else {
                    return usage(err, "--missing-nad must be deny or warn" + (value == null ? "" : ", got \"" + value + "\""));
                }
                inNads = false;
            } else if (a.equals("--help") || a.equals("-h")) {
                out.print(USAGE);
                return 0;
            } else {
                return usage(err, "unknown option " + a);
            }
        }
        // "--nads A B POD": the last path is the pod file
        if (positional.isEmpty() && !nadPaths.isEmpty()) {
            positional.add(nadPaths.removeLast());
        }
        if (!sawNads) {
            return usage(err, "--nads PATH is required");
        }
        if (nadPaths.isEmpty()) {
            return usage(err, "--nads needs at least one PATH before POD_FILE");
        }
        if (positional.size() != 1) {
            return usage(err, positional.isEmpty() ? "no POD_FILE given" : "exactly one POD_FILE expected, got " + String.join(" ", positional));
        }

        List<NadInfo> nads = new ArrayList<>();
        for (String arg : nadPaths) {
            try {
                for (Path file : reader.expand(Path.of(arg))) {
                    for (ManifestReader.Document doc : reader.read(file)) {
                        if (doc.content() instanceof ManifestReader.Content.KubernetesObject(JsonNode node)
                                && NAD_KIND.equals(node.path("kind").asText(null))) {
                            NadInfo nad = NadInfo.fromManifest(node, namespace == null ? "default" : namespace);
                            if (nad == null) {
                                err.println(file + ":" + doc.index() + ": WARNING /metadata/name: NetworkAttachmentDefinition without a name, skipped");
                                continue;
                            }
                            for (String problem : nad.problems()) {
                                err.println(file + ":" + doc.index() + ": WARNING /metadata/annotations: " + nad.key() + ": " + problem);
                            }
                            nads.add(nad);
                        }
                    }
                }
            } catch (ManifestReader.UnreadableInputException e) {
                err.println("netattach inject: " + e.getMessage());
                return 2;
            } catch (InvalidPathException e) {
                err.println("netattach inject: " + arg + ": invalid path");
                return 2;
            }
        }

        Path podFile;
        List<ManifestReader.Document> documents;
        try {
            podFile = Path.of(positional.getFirst());
            documents = reader.read(podFile);
        } catch (ManifestReader.UnreadableInputException e) {
            err.println("netattach inject: " + e.getMessage());
            return 2;
        } catch (InvalidPathException e) {
            err.println("netattach inject: " + positional.getFirst() + ": invalid path");
            return 2;
        }

        NadLookup lookup = NadLookup.of(nads);
        PodInjector injector = new PodInjector(lookup);
        // the network plan's conflicts between the pod's networks are part of the output (no cluster networks here)
        PodValidator validator = new PodValidator(lookup, missingNad,
                List.of(new io.netattach.plan.PodPlans(io.netattach.plan.ClusterNetworks.NONE)));
        YAMLMapper yaml = YAMLMapper.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                // every string double-quoted: minimized quotes turn strings such as "0x1F" or "1e3" into numbers
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .disable(YAMLGenerator.Feature.SPLIT_LINES)
                .build();
        int processed = 0;
        int errors = 0;
        int warnings = 0;
        int injected = 0;
        StringBuilder output = new StringBuilder();
        for (ManifestReader.Document doc : documents) {
            if (!(doc.content() instanceof ManifestReader.Content.KubernetesObject(JsonNode node)) || !node.isObject()) {
                continue;
            }
            String kind = node.path("kind").asText("");
            Template template = WORKLOADS.get(kind);
            if (!kind.equals("Pod") && template == null) {
                continue;
            }
            processed++;
            String where = podFile + ":" + doc.index() + ": ";
            String prefix = doc.itemPointer() + (template == null ? "" : template.pointer());
            String objectNamespace = node.path("metadata").path("namespace").asText("");
            String podNamespace = !objectNamespace.isEmpty() ? objectNamespace : namespace != null ? namespace : "default";

            JsonNode pod = template == null ? node : templatePod(node, template, podNamespace);
            Injection injection = injector.inject(pod, podNamespace);
            JsonNode result = injection.changed()
                    ? JsonPatch.apply(PatchOperation.toJson(injection.patch()), pod)
                    : pod;
            if (injection.changed()) {
                injected++;
            }
            List<Finding> findings = new ArrayList<>(injection.warnings());
            findings.addAll(validator.validate(result, podNamespace));
            for (Finding f : findings) {
                err.println(where + new Finding(f.severity(), prefix + f.path(), f.message()));
                if (f.isError()) {
                    errors++;
                } else {
                    warnings++;
                }
            }
            JsonNode printed = template == null ? result : withTemplateMetadata(node, template, result);
            if (!output.isEmpty()) {
                output.append("---\n");
            }
            try {
                output.append(yaml.writeValueAsString(printed));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (processed == 0) {
            err.println("netattach inject: " + podFile + " holds no Pod or workload with a pod template ("
                    + String.join(", ", WORKLOADS.keySet().stream().sorted().toList()) + ")");
            return 2;
        }
        out.print(output);
        err.println("inject: " + plural(nads.size(), "NetworkAttachmentDefinition") + ", " + plural(processed, "pod") + " ("
                + injected + " injected): " + plural(errors, "error") + ", " + plural(warnings, "warning"));
        return errors > 0 ? 1 : 0;
    }

    /** The pod a workload's controller would create from its template (labels, annotations, owner). */
    static JsonNode templatePod(JsonNode workload, Template template, String namespace) {
        JsonNode tpl = workload.at(template.pointer());
        ObjectNode pod = JsonNodeFactory.instance.objectNode();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        ObjectNode metadata = tpl.path("metadata").isObject() ? ((ObjectNode) tpl.path("metadata")).deepCopy() : pod.objectNode();
        metadata.put("namespace", namespace);
        ArrayNode owners = metadata.putArray("ownerReferences");
        ObjectNode owner = owners.addObject();
        owner.put("apiVersion", template.ownerKind().equals("Job") ? "batch/v1" : "apps/v1");
        owner.put("kind", template.ownerKind());
        owner.put("name", workload.path("metadata").path("name").asText("workload"));
        owner.put("controller", true);
        pod.set("metadata", metadata);
        pod.set("spec", tpl.path("spec").isObject() ? tpl.path("spec").deepCopy() : pod.objectNode());
        return pod;
    }

    /** {@code workload} with its template's metadata annotations taken from the injected pod. */
    private static JsonNode withTemplateMetadata(JsonNode workload, Template template, JsonNode pod) {
        ObjectNode copy = workload.deepCopy();
        JsonNode tpl = copy.at(template.pointer());
        if (tpl instanceof ObjectNode templateNode) {
            ObjectNode metadata = templateNode.path("metadata").isObject() ? (ObjectNode) templateNode.get("metadata") : templateNode.putObject("metadata");
            JsonNode annotations = pod.path("metadata").get("annotations");
            if (annotations != null && annotations.isObject() && !annotations.isEmpty()) {
                metadata.set("annotations", annotations.deepCopy());
            }
        }
        return copy;
    }

    private static int usage(PrintStream err, String message) {
        err.println("netattach inject: " + message);
        err.print(USAGE);
        return 2;
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
