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
import io.netattach.manifest.ManifestReader;
import io.netattach.cni.Finding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
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
@Command(name = "inject",
        description = {"Print pods as the mutating webhook returns them.",
                "The objects of POD_FILE as the mutating webhook returns them (YAML) on stdout, "
                        + "the findings on stderr as FILE:DOC: SEVERITY path: message."},
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"  0:no errors (warnings allowed)", "  1:errors", "  2:usage error or unreadable input"})
public final class InjectCommand extends CliCommand {

    @Option(names = "--nads", paramLabel = "PATH", required = true,
            description = "NAD manifests: a file or a directory (recursive), YAML or JSON. "
                    + "Repeat for several: --nads A --nads B (one PATH per --nads; never split at commas).")
    List<Path> nadPaths;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
            description = "namespace of objects without metadata.namespace (default: default)")
    String namespace;

    @Option(names = "--missing-nad", paramLabel = "deny|warn", defaultValue = "deny",
            description = "a reference to a NAD not given is an error (deny, default) or a warning (warn)")
    String missingNadMode;

    @Parameters(index = "0", arity = "1", paramLabel = "POD_FILE",
            description = "Pods, or workloads with a pod template (Deployment, ReplicaSet, StatefulSet, DaemonSet, "
                    + "Job, CronJob), YAML or JSON, several documents; - for stdin")
    String podFileName;

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
    public Integer call() {
        PodValidator.MissingNad missingNad = switch (missingNadMode) {
            case "deny" -> PodValidator.MissingNad.DENY;
            case "warn" -> PodValidator.MissingNad.WARN;
            default -> throw usageError("--missing-nad must be deny or warn, got \"" + missingNadMode + "\"");
        };
        if (namespace != null && namespace.isEmpty()) {
            throw usageError("--namespace needs a value");
        }

        List<NadInfo> nads = readNads(reader, nadPaths, namespace == null ? "default" : namespace, "inject", err);
        if (nads == null) {
            return 2;
        }

        List<ManifestReader.Document> documents = readPods(reader, podFileName, "inject", err);
        if (documents == null) {
            return 2;
        }
        Path podFile = Path.of(podFileName);

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

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    /**
     * The NADs of {@code paths} as {@code inject} and {@code plan} see them (the one manifest reader); problems
     * of a NAD's annotations are printed as warnings. Null, after printing why, when an input is unreadable.
     */
    static List<NadInfo> readNads(ManifestReader reader, List<Path> paths, String defaultNamespace, String command,
                                  java.io.PrintStream err) {
        ManifestReader.NadScan scan = reader.nads(paths);
        if (!scan.problems().isEmpty()) {
            scan.problems().forEach(problem -> err.println("netattach " + command + ": " + problem));
            return null;
        }
        List<NadInfo> nads = new ArrayList<>();
        for (ManifestReader.FoundNad found : scan.nads()) {
            ManifestReader.Document doc = found.document();
            NadInfo nad = NadInfo.fromManifest(found.node(), defaultNamespace);
            if (nad == null) {
                err.println(doc.file() + ":" + doc.index() + ": WARNING /metadata/name: NetworkAttachmentDefinition without a name, skipped");
                continue;
            }
            for (String problem : nad.problems()) {
                err.println(doc.file() + ":" + doc.index() + ": WARNING /metadata/annotations: " + nad.key() + ": " + problem);
            }
            nads.add(nad);
        }
        return nads;
    }

    /** The documents of the POD_FILE argument of {@code inject} and {@code plan}; null, after printing why, when unreadable. */
    static List<ManifestReader.Document> readPods(ManifestReader reader, String podFileName, String command,
                                                  java.io.PrintStream err) {
        try {
            return reader.read(Path.of(podFileName));
        } catch (ManifestReader.UnreadableInputException e) {
            err.println("netattach " + command + ": " + e.getMessage());
        } catch (InvalidPathException e) {
            err.println("netattach " + command + ": " + podFileName + ": invalid path");
        }
        return null;
    }
}
